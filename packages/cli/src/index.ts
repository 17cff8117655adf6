export { type CliCommand, type CliCommandGroup, type CliIo, processIo } from './cli-command';
export { COMMAND_GROUPS } from './command-groups';
export { formatProblem, registryCommands } from './registry-commands';
export { runCli } from './run-cli';
export { MintArgs, mintToken } from './commands/token';
