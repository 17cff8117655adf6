import http from 'node:http';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../src/auth/token-verifier';
import { AUDIENCE, VERIFIER_OPTIONS } from './route-harness';

/**
 * Issue #14 hole 5, an external issuer: the API verifies EdDSA and RS256 tokens with the public
 * keys of a JWKS URL (JWT_JWKS_URL) served by a real local HTTP server, holding no signing key.
 */
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let server: http.Server;
let jwksUrl: string;
let requests = 0;
const keys: { kid: string; alg: string; privateKey: PrivateKey }[] = [];
const published: JWK[] = [];

beforeAll(async () => {
  for (const [kid, alg] of [
    ['idp-ed-1', 'EdDSA'],
    ['idp-rs-1', 'RS256'],
  ] as const) {
    const pair = await generateKeyPair(alg, { extractable: true });
    keys.push({ kid, alg, privateKey: pair.privateKey });
    published.push({ ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' });
  }
  server = http.createServer((req, res) => {
    requests++;
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

const sign = (k: (typeof keys)[number], kid = k.kid) =>
  new SignJWT({ role: 'regulator', scope: { level: 'county', code: '140105' } })
    .setProtectedHeader({ alg: k.alg, kid })
    .setSubject(`idp-user-${k.alg}`)
    .setIssuer('yujing')
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(k.privateKey);

describe('tokens from an external issuer (JWKS URL)', () => {
  it('verifies EdDSA and RS256 tokens by kid with keys fetched once from the JWKS URL', async () => {
    const v = createTokenVerifier({ ...VERIFIER_OPTIONS, secret: undefined, jwksUrl });
    for (const k of keys)
      await expect(v.verify(`Bearer ${await sign(k)}`)).resolves.toMatchObject({
        id: `idp-user-${k.alg}`,
        role: 'regulator',
      });
    await expect(v.verify(`Bearer ${await sign(keys[0] as never)}`)).resolves.toBeTruthy();
    expect(requests).toBe(1);
  });

  it('refuses a token whose kid the issuer does not publish, and a key of the wrong kid', async () => {
    const v = createTokenVerifier({ ...VERIFIER_OPTIONS, secret: undefined, jwksUrl });
    const [ed, rs] = keys as [(typeof keys)[number], (typeof keys)[number]];
    await expect(v.verify(`Bearer ${await sign(ed, 'not-published')}`)).rejects.toMatchObject({
      code: 'YJ_ERR_AUTH_INVALID',
    });
    // Signed with the EdDSA key but naming the RSA key's kid: the signature does not verify.
    const swapped = await new SignJWT({ role: 'admin', scope: { level: 'province', code: '140000' } })
      .setProtectedHeader({ alg: 'EdDSA', kid: rs.kid })
      .setSubject('mallory')
      .setIssuer('yujing')
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(ed.privateKey);
    await expect(v.verify(`Bearer ${swapped}`)).rejects.toMatchObject({ code: 'YJ_ERR_AUTH_INVALID' });
  });
});
