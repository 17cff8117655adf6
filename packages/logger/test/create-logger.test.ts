import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON with service, level label and the fields given', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 'test-svc', destination });
    log.info({ enterpriseId: '140105001', point: 'CO-1' }, 'batch flushed');
    expect(lines[0]).toMatchObject({
      service: 'test-svc',
      level: 'info',
      enterpriseId: '140105001',
      msg: 'batch flushed',
    });
    expect(typeof lines[0]?.time).toBe('string');
  });

  it('redacts secrets, tokens and authorization headers', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 'test-svc', destination });
    log.info(
      {
        password: 'p1',
        subscription: { secret: 's1' },
        req: { headers: { authorization: 'Bearer t1' } },
        token: 't2',
      },
      'with secrets',
    );
    const text = JSON.stringify(lines[0]);
    for (const s of ['p1', 's1', 'Bearer t1', 't2']) expect(text).not.toContain(s);
    expect(text).toContain('[redacted]');
  });
});
