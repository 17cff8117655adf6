#!/usr/bin/env tsx
import { processIo } from './cli-command';
import { COMMAND_GROUPS } from './command-groups';
import { runCli } from './run-cli';

process.exitCode = await runCli(process.argv.slice(2), COMMAND_GROUPS, processIo());
