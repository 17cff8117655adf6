import { processIo } from './cli-command';
import { COMMAND_GROUPS } from './command-groups';
import { runCli } from './run-cli';

// A command is done when runCli resolves: exit then, even if a client library left a timer or a
// socket behind (kafkajs can schedule a consumer restart during disconnect), so scripts never hang.
process.exit(await runCli(process.argv.slice(2), COMMAND_GROUPS, processIo()));
