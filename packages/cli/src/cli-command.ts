/** Where a command writes and what it reads: injectable so commands are testable without a process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

/** One subcommand, e.g. `registry validate`. Returns the process exit code. */
export interface CliCommand {
  /** One line for the help listing. */
  summary: string;
  /** Arguments after the command name, e.g. "<dir> [--prune]". */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** A command group (`registry`, `token`, `watch` …): one file per group, listed in command-groups.ts. */
export interface CliCommandGroup {
  name: string;
  summary: string;
  commands: Record<string, CliCommand>;
}

export const processIo = (): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});
