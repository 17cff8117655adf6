import { useEffect, useState } from 'preact/hooks';

/** Re-renders the component whenever the store emits. */
export function useStore<S extends { subscribe(l: () => void): () => void }>(store: S): S {
  const [, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((n) => n + 1)), [store]);
  return store;
}

/** A clock that ticks every `everyMs` (ages and deadlines on the board). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
