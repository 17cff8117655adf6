import { readFileSync } from 'node:fs';
import { loadConfig } from '@yujing/config';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_DEV_JWT_SECRETS } from '../src/auth/known-dev-secrets';
import { LocalRevocations } from '../src/auth/token-revocation';
import { createTokenVerifier } from '../src/auth/token-verifier';
import { OperatorApiConfig } from '../src/config';
import { AUDIENCE, bearer, harness, NOW, SECRET, TAIYUAN, token, VERIFIER_OPTIONS } from './route-harness';

/** Issue #14 hole 5: dev secrets, audience, lifetime, revocation, asymmetric keys. */
const REPO = new URL('../../../', import.meta.url);
const regulator = { role: 'regulator', scope: { level: 'city', code: TAIYUAN.city } } as const;

async function hs256(claims: Record<string, unknown>, set: (j: SignJWT) => SignJWT = (j) => j) {
  const jwt = new SignJWT({ role: regulator.role, scope: regulator.scope, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('reg-1')
    .setIssuer('yujing');
  return set(jwt).sign(new TextEncoder().encode(SECRET));
}
const nowS = () => Math.floor(Date.now() / 1000);
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: Error & { code?: string }) => `${err.code}: ${err.message}`,
  );

describe('committed dev JWT secrets', () => {
  const base = { KAFKA_BROKERS: '127.0.0.1:9092' };
  it.each(KNOWN_DEV_JWT_SECRETS)(
    '%s is refused in production and accepted in development and test',
    (secret) => {
      expect(() => loadConfig(OperatorApiConfig, { ...base, JWT_SECRET: secret })).toThrow(
        /JWT_SECRET: is a development secret committed to the repository/,
      );
      expect(() =>
        loadConfig(OperatorApiConfig, { ...base, JWT_SECRET: secret, NODE_ENV: 'production' }),
      ).toThrow(/development secret/);
      for (const NODE_ENV of ['development', 'test'])
        expect(loadConfig(OperatorApiConfig, { ...base, JWT_SECRET: secret, NODE_ENV }).NODE_ENV).toBe(
          NODE_ENV,
        );
    },
  );

  it('lists every JWT secret the repository commits (local stack, compose, .env examples)', () => {
    const files = [
      'deploy/local/services-env.sh',
      'deploy/compose/.env.example',
      'docker-compose.yml',
      'services/operator-api/.env.example',
    ];
    const committed = files.flatMap((f) => {
      const text = readFileSync(new URL(f, REPO), 'utf8');
      return [...text.matchAll(/JWT_SECRET[=:]\s*"?(?:\$\{JWT_SECRET:-)?([^"}\s$]{8,})/g)].map((m) => m[1]);
    });
    expect(committed.length).toBeGreaterThan(0);
    for (const s of committed)
      expect(KNOWN_DEV_JWT_SECRETS, `${s} is committed but not refused`).toContain(s);
  });

  it('accepts a random secret in production, and needs some way to verify tokens', () => {
    const cfg = loadConfig(OperatorApiConfig, { JWT_SECRET: 'q8Zk2v0R1mXc7yB4nW9pL3tF6hJ5sD0a' });
    expect(cfg.NODE_ENV).toBe('production');
    expect(cfg.TRUST_PROXY).toBe(false);
    expect(() => loadConfig(OperatorApiConfig, {})).toThrow(
      /JWT_SECRET: set JWT_SECRET, JWT_PUBLIC_KEYS_FILE or JWT_JWKS_URL/,
    );
    expect(
      loadConfig(OperatorApiConfig, { JWT_JWKS_URL: 'https://idp.example/jwks.json' }).JWT_SECRET,
    ).toBeUndefined();
  });
});

describe('audience and lifetime', () => {
  const strict = createTokenVerifier(VERIFIER_OPTIONS);
  const lenient = createTokenVerifier({ ...VERIFIER_OPTIONS, requireAudience: false });

  it('accepts a token for this API', async () => {
    const t = await hs256({}, (j) => j.setAudience(AUDIENCE).setIssuedAt().setExpirationTime('12h'));
    await expect(strict.verify(`Bearer ${t}`)).resolves.toMatchObject({ id: 'reg-1', role: 'regulator' });
  });

  it('refuses a token minted for another audience, in every mode', async () => {
    const t = await hs256({}, (j) => j.setAudience('yujing-console').setIssuedAt().setExpirationTime('1h'));
    for (const v of [strict, lenient])
      expect(await rejection(v.verify(`Bearer ${t}`))).toMatch(/^YJ_ERR_AUTH_INVALID: .*"aud" claim/);
  });

  it('refuses a token without aud in production, accepts it in development', async () => {
    const t = await hs256({}, (j) => j.setIssuedAt().setExpirationTime('1h'));
    expect(await rejection(strict.verify(`Bearer ${t}`))).toMatch(/YJ_ERR_AUTH_INVALID: .*aud/);
    await expect(lenient.verify(`Bearer ${t}`)).resolves.toMatchObject({ id: 'reg-1' });
  });

  it('refuses a lifetime above the maximum, and a token without iat', async () => {
    const long = await hs256({}, (j) => j.setAudience(AUDIENCE).setIssuedAt().setExpirationTime('25h'));
    expect(await rejection(strict.verify(`Bearer ${long}`))).toBe(
      'YJ_ERR_AUTH_INVALID: bearer token rejected: lifetime exp - iat = 90000 s exceeds the maximum 86400 s',
    );
    const noIat = await hs256({}, (j) => j.setAudience(AUDIENCE).setExpirationTime('1h'));
    expect(await rejection(strict.verify(`Bearer ${noIat}`))).toMatch(/"iat" claim/);
  });
});

describe('revocation (jti deny-list)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.app.close();
  });

  it('an admin revokes a token by jti; the token is refused at once, others still work', async () => {
    const victim = await token('regulator', regulator.scope, { jti: 'tok-leaked-1' });
    const other = await token('regulator', regulator.scope, { jti: 'tok-fine-2' });
    const get = (t: string) => h.app.inject({ url: '/api/v1/enterprises', headers: bearer(t) });
    expect((await get(victim)).statusCode).toBe(200);
    const admin = await token('admin', { level: 'province', code: '140000' });
    const revoke = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/tokens/revoke',
      headers: bearer(admin),
      payload: { jti: 'tok-leaked-1' },
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().revokedUntil).toBe(Math.floor(NOW / 1000) + 86_400);
    const refused = await get(victim);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({
      code: 'YJ_ERR_AUTH_INVALID',
      detail: 'bearer token rejected: token tok-leaked-1 was revoked',
    });
    expect((await get(other)).statusCode).toBe(200);
  });

  it('only an admin may revoke', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/tokens/revoke',
      headers: bearer(await token('operator', { level: 'province', code: '140000' })),
      payload: { jti: 'tok-fine-2' },
    });
    expect(res.statusCode).toBe(403);
    expect(h.revocations.isRevoked('tok-fine-2')).toBe(false);
  });

  it('forgets a revocation once the token would have expired anyway', async () => {
    let now = Date.now();
    const list = new LocalRevocations(() => now);
    await list.revoke('t', Math.floor(now / 1000) + 60);
    expect(list.isRevoked('t')).toBe(true);
    now += 61_000;
    expect(list.isRevoked('t')).toBe(false);
  });
});

describe('asymmetric keys (EdDSA with kid)', () => {
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let publicJwk: JWK;
  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'yj-2026-12', alg: 'EdDSA', use: 'sig' };
  });
  const signed = (kid: string) =>
    new SignJWT({ role: 'operator', scope: { level: 'province', code: '140000' } })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject('op-1')
      .setIssuer('yujing')
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);

  it('verifies with the public key only (no secret), picked by kid', async () => {
    const v = createTokenVerifier({
      ...VERIFIER_OPTIONS,
      secret: undefined,
      publicKeys: { keys: [publicJwk] },
    });
    await expect(v.verify(`Bearer ${await signed('yj-2026-12')}`)).resolves.toMatchObject({ id: 'op-1' });
    expect(await rejection(v.verify(`Bearer ${await signed('unknown-kid')}`))).toMatch(
      /YJ_ERR_AUTH_INVALID: .*no applicable key found/,
    );
  });

  it('refuses HS256 tokens when the API holds no secret (no downgrade to a shared key)', async () => {
    const v = createTokenVerifier({
      ...VERIFIER_OPTIONS,
      secret: undefined,
      publicKeys: { keys: [publicJwk] },
    });
    const t = await hs256({}, (j) => j.setAudience(AUDIENCE).setIssuedAt().setExpirationTime('1h'));
    expect(await rejection(v.verify(`Bearer ${t}`))).toMatch(
      /YJ_ERR_AUTH_INVALID: .*alg HS256 is not accepted/,
    );
  });

  it('refuses unsigned tokens (alg none)', async () => {
    const v = createTokenVerifier(VERIFIER_OPTIONS);
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${enc({ alg: 'none' })}.${enc({ sub: 'x', role: 'admin', scope: { level: 'province', code: '140000' }, iss: 'yujing', aud: AUDIENCE, iat: nowS(), exp: nowS() + 60 })}.`;
    expect(await rejection(v.verify(`Bearer ${none}`))).toMatch(
      /YJ_ERR_AUTH_INVALID: .*alg none is not accepted/,
    );
  });
});
