import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { COMMAND_GROUPS } from '../src/command-groups';
import { mintToken } from '../src/commands/token';
import { EXIT } from '../src/exit-codes';
import { runCli } from '../src/run-cli';

const SECRET = 'cli-test-secret-0123456789abcdefgh';
const io = (env: Record<string, string | undefined>) => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env } };
};

describe('yujing token mint', () => {
  it('mints an HS256 JWT with the claims operator-api verifies', async () => {
    const t = await mintToken(
      { role: 'regulator', scope: 'city:140100', sub: 'reg-ty', ttl: '1h' },
      SECRET,
      Date.parse('2026-11-28T00:00:00Z'),
    );
    expect(decodeProtectedHeader(t).alg).toBe('HS256');
    const { payload } = await jwtVerify(t, new TextEncoder().encode(SECRET), {
      issuer: 'yujing',
      currentDate: new Date('2026-11-28T00:30:00Z'),
    });
    expect(payload).toMatchObject({
      sub: 'reg-ty',
      role: 'regulator',
      scope: { level: 'city', code: '140100' },
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
    expect(payload.jti).toBeTypeOf('string');
  });

  it('prints the token from the command and refuses a missing secret or a role/scope mismatch', async () => {
    const ok = io({ JWT_SECRET: SECRET });
    expect(
      await runCli(
        ['token', 'mint', '--role', 'enterprise', '--scope', 'enterprise:140105TY001'],
        COMMAND_GROUPS,
        ok.io,
      ),
    ).toBe(EXIT.ok);
    expect(ok.out[0]?.split('.')).toHaveLength(3);
    const noSecret = io({});
    expect(
      await runCli(
        ['token', 'mint', '--role', 'admin', '--scope', 'province:140000'],
        COMMAND_GROUPS,
        noSecret.io,
      ),
    ).toBe(EXIT.usage);
    const mismatch = io({ JWT_SECRET: SECRET });
    expect(
      await runCli(
        ['token', 'mint', '--role', 'regulator', '--scope=enterprise:140105TY001'],
        COMMAND_GROUPS,
        mismatch.io,
      ),
    ).toBe(EXIT.usage);
    expect(mismatch.err.join('\n')).toContain('--scope');
  });
});
