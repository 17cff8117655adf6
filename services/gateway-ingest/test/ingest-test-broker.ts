import { fileURLToPath } from 'node:url';
import { type BrokerAuthTarget, ingestServiceAccount, reloadByCommand } from '@yujing/broker-auth';
import { serviceEnv } from '@yujing/testkit';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The passwd/ACL files of the stack's Mosquitto (`$YJ_STACK_DIR/mosquitto`, default
 * `<repo>/.stack`), written additively and reloaded through stack.sh, which reads the same
 * environment: a private stack (`YJ_STACK_DIR=… YJ_MQTT_PORT=…`) gets the accounts, not the shared one.
 */
export function testBrokerTarget(): BrokerAuthTarget {
  const stackDir = process.env.YJ_STACK_DIR ?? `${repoRoot}.stack`;
  return {
    passwdPath: `${stackDir}/mosquitto/passwd`,
    aclPath: `${stackDir}/mosquitto/acl`,
    serviceAccounts: [ingestServiceAccount(serviceEnv().mqttServiceUser)],
    mode: 'additive',
    reload: reloadByCommand(['bash', 'deploy/local/stack.sh', 'mosquitto-reload'], { cwd: repoRoot }),
  };
}

export { repoRoot };
