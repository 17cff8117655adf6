/** Where a command writes and what it reads: injectable so commands are testable without a process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

/** One `--name` option, in `node:util` parseArgs terms plus what `--help` prints. */
export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  /** One line for `--help`. */
  description: string;
  /** Placeholder of a string option's value in `--help`, e.g. "<dir>". */
  valueName?: string;
}
export type CliOptions = Record<string, CliOption>;

/** A positional argument, e.g. `<dir>`. */
export interface CliPositional {
  name: string;
  description: string;
  required?: boolean;
}

/** The parsed invocation: option values by name (absent when not given) and the positionals. */
export interface CliInput<O extends CliOptions = CliOptions> {
  values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };
  positionals: string[];
}

/** One subcommand, e.g. `registry validate`. run() returns the process exit code (exit-codes.ts). */
export interface CliCommand<O extends CliOptions = CliOptions> {
  /** One line for the help listing. */
  summary: string;
  positionals?: readonly CliPositional[];
  options?: O;
  /** Further `--help` lines: environment variables, defaults, examples. */
  details?: readonly string[];
  // Method syntax: a command with specific options is assignable to CliCommand<CliOptions>.
  run(input: CliInput<O>, io: CliIo): Promise<number>;
}

/** Declares a command with its option types inferred from `options`. */
export const defineCommand = <const O extends CliOptions>(command: CliCommand<O>): CliCommand<O> => command;

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
