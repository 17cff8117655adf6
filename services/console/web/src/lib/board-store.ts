import { AlarmStream, type StreamStatus } from './alarm-stream';
import type { AlarmEvent, ClosedLoopPolicy, EnterpriseSummary } from './alarm-types';
import { apiGet } from './api-client';
import { BoardModel } from './board-model';

/** A new level-1 alarm the operator has not looked at yet (the cue stays until dismissed). */
export interface LevelOneCue {
  alarmId: string;
  at: number;
}

/**
 * What every page of a signed-in session shares: the board (fed by the list API and the stream),
 * the enterprises and the closed-loop policies in the caller's scope. One stream per tab.
 */
export class BoardStore {
  readonly model = new BoardModel();
  enterprises = new Map<string, EnterpriseSummary>();
  policies: ClosedLoopPolicy[] = [];
  status: StreamStatus = 'connecting';
  cue: LevelOneCue | undefined;
  loadError: string | undefined;
  reloads = 0;
  readonly #listeners = new Set<() => void>();
  #stream: AlarmStream | undefined;
  #loaded = false;

  start(): void {
    this.#stream = new AlarmStream({
      onAlarm: (e) => this.#apply(e, true),
      onReload: () => {
        this.reloads += 1;
        void this.#list();
      },
      onStatus: (s) => {
        this.status = s;
        this.#emit();
      },
    });
    // Stream first, then the listing: anything raised in between arrives on the stream, and the
    // model ignores what it already holds.
    this.#stream.start();
    void this.#list();
    void this.#loadReference();
  }

  stop(): void {
    this.#stream?.stop();
  }

  /** True once the first listing answered (before it, the stream's events are not "new" to the operator). */
  get loaded(): boolean {
    return this.#loaded;
  }

  get lastEventId(): string | undefined {
    return this.#stream?.lastEventId;
  }

  dismissCue(): void {
    this.cue = undefined;
    this.#emit();
  }

  subscribe(l: () => void): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  #apply(e: AlarmEvent, live: boolean): void {
    const r = this.model.apply(e);
    if (r === 'stale') return;
    if (live && this.#loaded && e.level === 1 && (r === 'new' || e.transition === 'escalate')) {
      this.cue = { alarmId: e.alarmId, at: Date.now() };
      playLevelOneTone();
    }
    this.#emit();
  }

  async #list(): Promise<void> {
    try {
      const { items } = await apiGet<{ items: AlarmEvent[] }>('/alarms?limit=1000');
      this.model.load(items);
      this.loadError = undefined;
    } catch (err) {
      this.loadError = (err as { userMessage?: string }).userMessage ?? String(err);
    }
    this.#loaded = true;
    this.#emit();
  }

  async #loadReference(): Promise<void> {
    try {
      const { items } = await apiGet<{ items: EnterpriseSummary[] }>('/enterprises');
      this.enterprises = new Map(items.map((e) => [e.id, e]));
    } catch {
      /* the board still works with ids only */
    }
    try {
      const { items } = await apiGet<{ items: ClosedLoopPolicy[] }>('/admin/registry/policy');
      this.policies = items;
    } catch {
      /* roles without registry-read see the step without its deadline on the board */
    }
    this.#emit();
  }

  #emit(): void {
    for (const l of this.#listeners) l();
  }
}

let audio: AudioContext | undefined;
/** A short two-tone alert; browsers allow sound only after a user gesture (the sign-in click counts). */
function playLevelOneTone(): void {
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    for (const [i, f] of [880, 660].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.15, t + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.001, t + i * 0.25 + 0.22);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.25);
      osc.stop(t + i * 0.25 + 0.24);
    }
  } catch {
    /* no audio device: the visual cue remains */
  }
}
