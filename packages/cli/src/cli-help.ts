import type { CliCommand, CliCommandGroup } from './cli-command';

/** The `--help` text of the CLI, a group or a command (one line per array element). */

const EXIT_LINE = 'exit codes: 0 ok, 1 failure, 2 usage (bad arguments or unset required environment)';

const optionLabel = (name: string, o: NonNullable<CliCommand['options']>[string]) =>
  `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? '<value>'}` : ''}`;

/** `<dir> [--prune]`-style synopsis of a command's arguments. */
export function synopsis(command: CliCommand): string {
  const parts = (command.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`));
  if (Object.keys(command.options ?? {}).length > 0) parts.push('[options]');
  return parts.join(' ');
}

export function rootHelp(groups: readonly CliCommandGroup[]): string[] {
  const lines = ['usage: yujing <group> <command> [arguments] [options]', '', 'groups:'];
  const width = Math.max(...groups.map((g) => g.name.length));
  for (const g of groups) lines.push(`  ${g.name.padEnd(width)}  ${g.summary}`);
  lines.push('', 'yujing <group> --help lists its commands; yujing <group> <command> --help its options.');
  lines.push(EXIT_LINE);
  return lines;
}

export function groupHelp(group: CliCommandGroup): string[] {
  const lines = [
    `usage: yujing ${group.name} <command> [arguments] [options]`,
    '',
    group.summary,
    '',
    'commands:',
  ];
  const names = Object.keys(group.commands);
  const width = Math.max(...names.map((n) => n.length));
  for (const [name, c] of Object.entries(group.commands)) lines.push(`  ${name.padEnd(width)}  ${c.summary}`);
  lines.push('', `yujing ${group.name} <command> --help shows a command's arguments and options.`);
  lines.push(EXIT_LINE);
  return lines;
}

export function commandHelp(group: CliCommandGroup, name: string, command: CliCommand): string[] {
  const lines = [`usage: yujing ${group.name} ${name} ${synopsis(command)}`.trimEnd(), '', command.summary];
  const positionals = command.positionals ?? [];
  if (positionals.length > 0) {
    lines.push('', 'arguments:');
    const width = Math.max(...positionals.map((p) => p.name.length + 2));
    for (const p of positionals) lines.push(`  ${`<${p.name}>`.padEnd(width)}  ${p.description}`);
  }
  const options = Object.entries(command.options ?? {}).map(([n, o]) => [optionLabel(n, o), o.description]);
  options.push(['-h, --help', 'show this help']);
  lines.push('', 'options:');
  const width = Math.max(...options.map(([label]) => label!.length));
  for (const [label, description] of options) lines.push(`  ${label!.padEnd(width)}  ${description}`);
  if (command.details?.length) lines.push('', ...command.details);
  lines.push('', EXIT_LINE);
  return lines;
}
