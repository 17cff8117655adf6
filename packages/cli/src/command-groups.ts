import type { CliCommandGroup } from './cli-command';
import { registryCommands } from './registry-commands';

/**
 * Every command group of the `yujing` CLI. To add one (e.g. `token`, `watch`), write
 * `<group>-commands.ts` exporting a CliCommandGroup and add it here: nothing else changes.
 */
export const COMMAND_GROUPS: readonly CliCommandGroup[] = [registryCommands];
