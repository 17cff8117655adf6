/** One `listener` block of a mosquitto.conf with per_listener_settings: its port and its settings. */
export interface MosquittoListener {
  port: number;
  settings: Record<string, string>;
}

/** The listener blocks of a Mosquitto config (settings after a `listener` line belong to it). */
export function mosquittoListeners(conf: string): MosquittoListener[] {
  const listeners: MosquittoListener[] = [];
  for (const raw of conf.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'listener') listeners.push({ port: Number(rest[0]), settings: {} });
    else if (listeners.length > 0) listeners.at(-1)!.settings[key!] = rest.join(' ');
  }
  return listeners;
}
