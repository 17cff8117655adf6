import type { CliCommandGroup } from './cli-command';
import { brokerAuthCommands } from './commands/broker-auth';
import { tokenCommands } from './commands/token';
import { watchCommands } from './commands/watch';
import { registryCommands } from './registry-commands';

/**
 * Every command group of the `yujing` CLI. To add one, write a file exporting a CliCommandGroup
 * and add it here: nothing else changes.
 */
export const COMMAND_GROUPS: readonly CliCommandGroup[] = [
  registryCommands,
  brokerAuthCommands,
  tokenCommands,
  watchCommands,
];
