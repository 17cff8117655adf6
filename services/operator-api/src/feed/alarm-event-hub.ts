import type { AlarmAction, AlarmCommandResult, AlarmTransitionEvent } from '@yujing/schemas';

/** One alarm transition as streams see it, with the stream id `<bootId>-<n>` (n increases by 1). */
export interface FeedEvent {
  id: string;
  n: number;
  event: AlarmTransitionEvent;
}

export type ResumeResult = { kind: 'events'; events: FeedEvent[] } | { kind: 'reload'; reason: string };

export interface CommandOutcome {
  result: AlarmCommandResult;
  /** The transition the command caused, when the worker emitted one within the bound. */
  transition?: AlarmTransitionEvent;
}

interface Waiter {
  commandId: string;
  alarmId: string;
  transition: string;
  actorId: string;
  graceMs: number;
  result?: AlarmCommandResult;
  seen?: AlarmTransitionEvent;
  resolve(outcome: CommandOutcome | undefined): void;
  timers: NodeJS.Timeout[];
}

/** The transition name an action produces (DESIGN §5 transitions). */
const TRANSITION_OF: Partial<Record<AlarmAction, string>> = {
  ack: 'ack',
  shelve: 'shelve',
  unshelve: 'unshelve',
  verify: 'verify',
  dispose: 'dispose',
  feedback: 'feedback',
  close: 'close',
  comment: 'comment',
};

/**
 * In-memory hub of the alarm events this API instance consumed: a bounded ring for stream
 * resume (Last-Event-ID), the latest known transition per alarm, live listeners, and the
 * waiters of commands this instance sent. No I/O: a Kafka source feeds it.
 */
export class AlarmEventHub {
  readonly bootId: string;
  readonly #ring: FeedEvent[] = [];
  readonly #ringSize: number;
  readonly #latest = new Map<string, AlarmTransitionEvent>();
  readonly #latestSize: number;
  readonly #listeners = new Set<(e: FeedEvent) => void>();
  readonly #waiters = new Map<string, Waiter>();
  #n = 0;

  constructor(opts: { ringSize: number; bootId: string; latestSize?: number }) {
    this.#ringSize = opts.ringSize;
    this.#latestSize = opts.latestSize ?? opts.ringSize * 5;
    this.bootId = opts.bootId;
  }

  /** Adds a consumed transition: ring, latest state, listeners, command waiters. */
  publish(event: AlarmTransitionEvent): FeedEvent {
    this.#n += 1;
    const fe: FeedEvent = { id: `${this.bootId}-${this.#n}`, n: this.#n, event };
    this.#ring.push(fe);
    if (this.#ring.length > this.#ringSize) this.#ring.shift();
    const prev = this.#latest.get(event.alarmId);
    if (!prev || prev.seq <= event.seq) {
      this.#latest.delete(event.alarmId);
      this.#latest.set(event.alarmId, event);
      if (this.#latest.size > this.#latestSize)
        this.#latest.delete(this.#latest.keys().next().value as string);
    }
    for (const l of this.#listeners) l(fe);
    for (const w of this.#waiters.values()) {
      if (
        w.alarmId === event.alarmId &&
        event.transition === w.transition &&
        event.actor?.id === w.actorId &&
        !w.seen
      ) {
        w.seen = event;
        if (w.result?.ok) this.#finish(w, { result: w.result, transition: event });
      }
    }
    return fe;
  }

  /** Adds a consumed AlarmCommandResult. */
  resolveCommand(result: AlarmCommandResult): void {
    const w = this.#waiters.get(result.commandId);
    if (!w || w.result) return;
    w.result = result;
    if (!result.ok || w.seen) {
      this.#finish(w, { result, ...(result.ok && w.seen ? { transition: w.seen } : {}) });
      return;
    }
    // Applied, transition not seen yet: give it a short grace, then answer without it.
    w.timers.push(setTimeout(() => this.#finish(w, { result }), w.graceMs));
  }

  /**
   * Registers interest in a command before it is sent. Resolves with the outcome, or undefined
   * once `timeoutMs` passed (the caller answers 202).
   */
  awaitCommand(
    cmd: { commandId: string; alarmId: string; action: AlarmAction; actorId: string; graceMs?: number },
    timeoutMs: number,
  ): Promise<CommandOutcome | undefined> {
    return new Promise((resolve) => {
      const w: Waiter = {
        commandId: cmd.commandId,
        alarmId: cmd.alarmId,
        transition: TRANSITION_OF[cmd.action] ?? cmd.action,
        actorId: cmd.actorId,
        graceMs: cmd.graceMs ?? 1000,
        resolve,
        timers: [],
      };
      w.timers.push(setTimeout(() => this.#finish(w, undefined), timeoutMs));
      this.#waiters.set(cmd.commandId, w);
    });
  }

  /** Forgets a waiter (e.g. the command could not be sent). */
  cancelCommand(commandId: string): void {
    const w = this.#waiters.get(commandId);
    if (w) this.#finish(w, undefined);
  }

  #finish(w: Waiter, outcome: CommandOutcome | undefined): void {
    for (const t of w.timers) clearTimeout(t);
    this.#waiters.delete(w.commandId);
    w.resolve(outcome);
  }

  /** The latest transition of an alarm seen by this instance. */
  latest(alarmId: string): AlarmTransitionEvent | undefined {
    return this.#latest.get(alarmId);
  }

  /** Events after `lastEventId`, or a reload instruction when they are no longer (or never were) here. */
  since(lastEventId: string): ResumeResult {
    const m = /^(.+)-(\d+)$/.exec(lastEventId);
    if (!m || m[1] !== this.bootId) return { kind: 'reload', reason: 'unknown-stream' };
    const n = Number(m[2]);
    const oldest = this.#ring[0]?.n ?? this.#n + 1;
    if (n > this.#n) return { kind: 'reload', reason: 'unknown-stream' };
    if (n < oldest - 1) return { kind: 'reload', reason: 'too-old' };
    return { kind: 'events', events: this.#ring.filter((e) => e.n > n) };
  }

  subscribe(listener: (e: FeedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Resolves every pending command as "not yet known" (shutdown). */
  close(): void {
    for (const w of [...this.#waiters.values()]) this.#finish(w, undefined);
    this.#listeners.clear();
  }
}
