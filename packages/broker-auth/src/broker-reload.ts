import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { brokerAuthErrors } from './broker-auth-errors';

/** Tells the broker to re-read its password file and ACL. */
export type BrokerReload = () => Promise<void>;

/** SIGHUP to the PID in Mosquitto's `pid_file` (what `stack.sh mosquitto-reload` does). */
export function reloadByPidFile(pidFile: string): BrokerReload {
  return async () => {
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    if (!Number.isInteger(pid) || pid <= 1) {
      throw brokerAuthErrors.YJ_ERR_BROKERAUTH_RELOAD_FAILED(`no broker pid in ${pidFile}`, {
        context: { pidFile },
      });
    }
    try {
      process.kill(pid, 'SIGHUP');
    } catch (cause) {
      throw brokerAuthErrors.YJ_ERR_BROKERAUTH_RELOAD_FAILED(`cannot signal broker pid ${pid}`, {
        cause,
        context: { pid },
      });
    }
  };
}

/** Runs a command, e.g. `bash deploy/local/stack.sh mosquitto-reload` or `kubectl exec … kill -HUP 1`. */
export function reloadByCommand(
  argv: readonly string[],
  opts: { cwd?: string; timeoutMs?: number } = {},
): BrokerReload {
  const [cmd, ...args] = argv;
  return () =>
    new Promise<void>((resolve, reject) => {
      if (!cmd) return reject(brokerAuthErrors.YJ_ERR_BROKERAUTH_RELOAD_FAILED('empty reload command'));
      execFile(cmd, args, { cwd: opts.cwd, timeout: opts.timeoutMs ?? 30_000 }, (err, _stdout, stderr) => {
        if (err) {
          reject(
            brokerAuthErrors.YJ_ERR_BROKERAUTH_RELOAD_FAILED(
              `${argv.join(' ')} failed: ${stderr.trim() || err.message}`,
              {
                cause: err,
              },
            ),
          );
        } else resolve();
      });
    });
}
