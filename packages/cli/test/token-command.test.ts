import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { COMMAND_GROUPS } from '../src/command-groups';
import { generateSigningKey, mintToken } from '../src/commands/token';
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

  it('names the operator-api audience and refuses a ttl the API would refuse', async () => {
    const t = await mintToken({ role: 'operator', scope: 'province:140000', ttl: '12h' }, SECRET);
    expect(decodeJwt(t).aud).toBe('yujing-operator-api');
    const long = io({ JWT_SECRET: SECRET });
    expect(
      await runCli(
        ['token', 'mint', '--role', 'operator', '--scope', 'province:140000', '--ttl', '30d'],
        COMMAND_GROUPS,
        long.io,
      ),
    ).toBe(EXIT.usage);
    expect(long.err.join('\n')).toContain('--ttl: longer than the 86400 s operator-api accepts');
    const allowed = io({ JWT_SECRET: SECRET, JWT_MAX_TTL_MS: '30d' });
    expect(
      await runCli(
        ['token', 'mint', '--role', 'operator', '--scope', 'province:140000', '--ttl', '30d'],
        COMMAND_GROUPS,
        allowed.io,
      ),
    ).toBe(EXIT.ok);
  });

  it('keygen writes a key pair; mint signs EdDSA with its kid, verifiable with the JWKS alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yj-keygen-'));
    try {
      const gen = io({});
      expect(
        await runCli(['token', 'keygen', '--kid', 'yj-test-1', '--out', dir], COMMAND_GROUPS, gen.io),
      ).toBe(EXIT.ok);
      const privatePath = join(dir, 'yj-test-1.private.jwk.json');
      expect((await stat(privatePath)).mode & 0o777).toBe(0o600);
      const jwks = JSON.parse(await readFile(join(dir, 'jwks.json'), 'utf8'));
      expect(jwks.keys[0]).not.toHaveProperty('d');
      const mint = io({ JWT_PRIVATE_KEY_FILE: privatePath });
      expect(
        await runCli(
          ['token', 'mint', '--role', 'admin', '--scope', 'province:140000'],
          COMMAND_GROUPS,
          mint.io,
        ),
      ).toBe(EXIT.ok);
      const t = mint.out[0] ?? '';
      expect(decodeProtectedHeader(t)).toMatchObject({ alg: 'EdDSA', kid: 'yj-test-1' });
      const { payload } = await jwtVerify(t, createLocalJWKSet(jwks), {
        issuer: 'yujing',
        audience: 'yujing-operator-api',
      });
      expect(payload).toMatchObject({ role: 'admin', scope: { level: 'province', code: '140000' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a key from generateSigningKey signs tokens the matching JWKS verifies', async () => {
    const { privateJwk, jwks } = await generateSigningKey('k2');
    const t = await mintToken({ role: 'operator', scope: 'city:140100' }, { privateJwk });
    await expect(jwtVerify(t, createLocalJWKSet(jwks))).resolves.toBeTruthy();
  });
});
