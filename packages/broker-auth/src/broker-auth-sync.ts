import type { Logger } from '@yujing/logger';
import type { Gateway, RegistryEntityKind } from '@yujing/schemas';
import { readOrEmpty, withFileLock, writeFileAtomic } from './atomic-file';
import { renderBrokerAuth, usersFromFiles } from './broker-auth-files';
import type { BrokerReload } from './broker-reload';
import { planBrokerUsers, type ServiceAccount } from './plan-broker-users';

export interface BrokerAuthTarget {
  /** Mosquitto `password_file`. */
  passwdPath: string;
  /** Mosquitto `acl_file`. */
  aclPath: string;
  serviceAccounts: readonly ServiceAccount[];
  mode: 'authoritative' | 'additive';
  reload: BrokerReload;
}

export interface SyncResult {
  changed: boolean;
  users: number;
}

/**
 * One read-modify-write of the broker's files under a lock: read what is there, plan the
 * accounts (service accounts kept, registry gateways added), write both files atomically when
 * anything changed, then reload the broker. Unchanged input writes nothing and reloads nothing.
 */
export async function syncBrokerAuthFiles(
  target: BrokerAuthTarget,
  gateways: readonly Pick<Gateway, 'enterpriseId' | 'id' | 'credentials'>[],
  opts: { remove?: readonly string[] } = {},
): Promise<SyncResult> {
  const result = await withFileLock(`${target.passwdPath}.lock`, async () => {
    const current = { passwd: await readOrEmpty(target.passwdPath), acl: await readOrEmpty(target.aclPath) };
    const users = planBrokerUsers({
      gateways,
      serviceAccounts: target.serviceAccounts,
      current: usersFromFiles(current),
      mode: target.mode,
      ...(opts.remove ? { remove: opts.remove } : {}),
    });
    const next = renderBrokerAuth(users);
    if (next.passwd === current.passwd && next.acl === current.acl)
      return { changed: false, users: users.length };
    // ACL first: a new user's password must not work before its grants exist.
    await writeFileAtomic(target.aclPath, next.acl);
    await writeFileAtomic(target.passwdPath, next.passwd);
    return { changed: true, users: users.length };
  });
  if (result.changed) await target.reload();
  return result;
}

/** The part of RegistryStore the sync follows. */
export interface GatewaySource {
  gateways(): Gateway[];
  onChange(
    listener: (change: { kind: RegistryEntityKind; id: string; deleted: boolean }) => void,
  ): () => void;
}

/**
 * Keeps the broker's files in step with the registry: one sync at start, then one per burst of
 * gateway changes (debounced). A failed sync is logged and retried with backoff; the loop never
 * stops on its own.
 */
export class BrokerAuthSync {
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #dirty = false;
  #failures = 0;
  #stopped = false;
  lastResult: SyncResult | undefined;

  constructor(
    private readonly source: GatewaySource,
    private readonly target: BrokerAuthTarget,
    private readonly logger: Logger,
    private readonly debounceMs = 500,
  ) {}

  /** Syncs once (throws if that fails: a broken first sync is a configuration error), then follows. */
  async start(): Promise<SyncResult> {
    this.lastResult = await syncBrokerAuthFiles(this.target, this.source.gateways());
    this.logger.info({ ...this.lastResult }, 'broker auth files synced');
    this.#unsubscribe = this.source.onChange((change) => {
      if (change.kind === 'gateway') this.#schedule(this.debounceMs);
    });
    return this.lastResult;
  }

  /** Resolves when no sync is running or pending (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.#running) await this.#running;
      else if (this.#timer) await new Promise((r) => setTimeout(r, 20));
      else return;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    this.#dirty = true;
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#running) this.#running = this.#run().finally(() => (this.#running = undefined));
    }, delayMs);
  }

  async #run(): Promise<void> {
    while (this.#dirty && !this.#stopped) {
      this.#dirty = false;
      try {
        this.lastResult = await syncBrokerAuthFiles(this.target, this.source.gateways());
        this.#failures = 0;
        if (this.lastResult.changed)
          this.logger.info({ ...this.lastResult }, 'broker auth files rewritten and broker reloaded');
      } catch (err) {
        this.#failures += 1;
        const backoffMs = Math.min(30_000, 500 * 2 ** Math.min(this.#failures, 6));
        this.logger.error({ err, failures: this.#failures, backoffMs }, 'broker auth sync failed; retrying');
        this.#schedule(backoffMs);
        return;
      }
    }
  }
}
