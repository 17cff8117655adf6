import type { CliCommandGroup, CliIo } from './cli-command';

function usage(groups: readonly CliCommandGroup[], io: CliIo, group?: CliCommandGroup): void {
  const shown = group ? [group] : groups;
  io.err('usage: yujing <group> <command> [args]');
  for (const g of shown) {
    io.err(`  ${g.name}: ${g.summary}`);
    for (const [name, cmd] of Object.entries(g.commands))
      io.err(`    yujing ${g.name} ${name} ${cmd.usage}  — ${cmd.summary}`);
  }
}

/** Dispatches `argv` (without node and script) to a group's command; returns the exit code. */
export async function runCli(
  argv: readonly string[],
  groups: readonly CliCommandGroup[],
  io: CliIo,
): Promise<number> {
  const [groupName, commandName, ...args] = argv;
  if (!groupName || groupName === '--help' || groupName === '-h' || groupName === 'help') {
    usage(groups, io);
    return groupName ? 0 : 64;
  }
  const group = groups.find((g) => g.name === groupName);
  if (!group) {
    io.err(`yujing: unknown command group "${groupName}"`);
    usage(groups, io);
    return 64; // EX_USAGE
  }
  const command = commandName ? group.commands[commandName] : undefined;
  if (!command) {
    io.err(
      commandName
        ? `yujing ${groupName}: unknown command "${commandName}"`
        : `yujing ${groupName}: missing command`,
    );
    usage(groups, io, group);
    return 64;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    io.err(`yujing ${groupName} ${commandName}: ${(err as Error).message}`);
    return 1;
  }
}
