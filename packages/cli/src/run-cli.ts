import { parseArgs } from 'node:util';
import type { CliCommand, CliCommandGroup, CliInput, CliIo } from './cli-command';
import { commandHelp, groupHelp, rootHelp } from './cli-help';
import { EXIT } from './exit-codes';

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

/** Parses a command's arguments with node:util parseArgs (strict); a string is the usage error. */
export function parseCommandArgs(command: CliCommand, args: readonly string[]): CliInput | string {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        Object.entries(command.options ?? {}).map(([name, o]) => [
          name,
          { type: o.type, ...(o.short ? { short: o.short } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    // ERR_PARSE_ARGS_UNKNOWN_OPTION, _INVALID_OPTION_VALUE, _UNEXPECTED_POSITIONAL: the message names the argument.
    return (err as Error).message;
  }
  const declared = command.positionals ?? [];
  const missing = declared.filter((p, i) => p.required && parsed.positionals[i] === undefined);
  if (missing.length > 0)
    return `missing ${missing.map((p) => `<${p.name}>`).join(' ')}: ${missing[0]!.description}`;
  if (parsed.positionals.length > declared.length)
    return `unexpected argument "${parsed.positionals[declared.length]}"`;
  return { values: parsed.values as CliInput['values'], positionals: parsed.positionals };
}

/**
 * Dispatches `argv` (without node and script) to a group's command and returns the exit code
 * (exit-codes.ts). `--help`/`-h` works at every level and prints to stdout; a usage error prints
 * the message and the relevant help to stderr.
 */
export async function runCli(
  argv: readonly string[],
  groups: readonly CliCommandGroup[],
  io: CliIo,
): Promise<number> {
  // `yujing help registry publish` = `yujing registry publish --help`.
  if (argv[0] === 'help' && argv.length > 1) return runCli([...argv.slice(1), '--help'], groups, io);
  const [groupName, commandName, ...args] = argv;
  const usageError = (message: string, help: string[]) => {
    io.err(`yujing: ${message}`);
    for (const line of help) io.err(line);
    return EXIT.usage;
  };
  if (isHelp(groupName)) {
    for (const line of rootHelp(groups)) io.out(line);
    return EXIT.ok;
  }
  if (!groupName) return usageError('missing command group', rootHelp(groups));
  const group = groups.find((g) => g.name === groupName);
  if (!group) return usageError(`unknown command group "${groupName}"`, rootHelp(groups));
  if (isHelp(commandName)) {
    for (const line of groupHelp(group)) io.out(line);
    return EXIT.ok;
  }
  if (!commandName) return usageError(`${groupName}: missing command`, groupHelp(group));
  const command = Object.hasOwn(group.commands, commandName) ? group.commands[commandName] : undefined;
  if (!command) return usageError(`${groupName}: unknown command "${commandName}"`, groupHelp(group));
  const help = commandHelp(group, commandName, command);
  if (args.some((a) => a === '--help' || a === '-h')) {
    for (const line of help) io.out(line);
    return EXIT.ok;
  }
  const input = parseCommandArgs(command, args);
  if (typeof input === 'string') return usageError(`${groupName} ${commandName}: ${input}`, help);
  try {
    return await command.run(input, io);
  } catch (err) {
    io.err(`yujing ${groupName} ${commandName}: ${(err as Error).message}`);
    // A bad environment variable (loadConfig) is a usage error: the command did nothing.
    return (err as { code?: unknown }).code === 'YJ_ERR_CONFIG_INVALID' ? EXIT.usage : EXIT.failure;
  }
}
