import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';

export interface Baseline {
  path: string;
  messages: number;
  seconds: number;
}

function run(cmd: string, args: string[], stdinFile?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [stdinFile ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (c) => (err += c));
    if (stdinFile) import('node:fs').then((fs) => fs.createReadStream(stdinFile).pipe(child.stdin!));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 300)}`)),
    );
  });
}

/**
 * mosquitto_pub → mosquitto_sub of N equal payloads at QoS 1 through yujing's broker (auth on):
 * the subscriber is started first and the time runs until it has received all N.
 */
export async function mosquittoBaseline(o: {
  host: string;
  port: number;
  pub: { user: string; password: string; topic: string };
  sub: { user: string; password: string };
  payload: string;
  messages: number;
  file: string;
}): Promise<Baseline> {
  await writeFile(o.file, `${o.payload}\n`.repeat(o.messages));
  const common = ['-h', o.host, '-p', String(o.port), '-q', '1', '-t', o.pub.topic];
  const sub = run('mosquitto_sub', [
    ...common,
    '-u',
    o.sub.user,
    '-P',
    o.sub.password,
    '-C',
    String(o.messages),
    '-W',
    '600',
  ]);
  await new Promise((r) => setTimeout(r, 1000)); // let the subscription settle: its start is not timed
  const t0 = performance.now();
  await run('mosquitto_pub', [...common, '-u', o.pub.user, '-P', o.pub.password, '-l'], o.file);
  await sub;
  return {
    path: 'mosquitto_pub → mosquitto_sub (QoS 1)',
    messages: o.messages,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** kcat produce (acks=all) then consume of N equal payloads on a fresh single-partition topic. */
export async function kcatBaseline(o: {
  brokers: string;
  topic: string;
  payload: string;
  messages: number;
  file: string;
}): Promise<Baseline[]> {
  await writeFile(o.file, `${o.payload}\n`.repeat(o.messages));
  let t0 = performance.now();
  await run('kcat', ['-P', '-b', o.brokers, '-t', o.topic, '-X', 'acks=all', '-l', o.file]);
  const produced = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await run('kcat', [
    '-C',
    '-b',
    o.brokers,
    '-t',
    o.topic,
    '-o',
    'beginning',
    '-c',
    String(o.messages),
    '-e',
    '-q',
  ]);
  const consumed = (performance.now() - t0) / 1000;
  return [
    { path: 'kcat produce (acks=all)', messages: o.messages, seconds: produced },
    { path: 'kcat consume', messages: o.messages, seconds: consumed },
  ];
}
