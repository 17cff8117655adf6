export {
  type CliCommand,
  type CliCommandGroup,
  type CliInput,
  type CliIo,
  type CliOptions,
  defineCommand,
  processIo,
} from './cli-command';
export { COMMAND_GROUPS } from './command-groups';
export { MintArgs, mintToken } from './commands/token';
export { EXIT, type ExitCode } from './exit-codes';
export { formatProblem, registryCommands } from './registry-commands';
export { runCli } from './run-cli';
