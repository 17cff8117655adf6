import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { readPublicKeysFile } from '../src/auth/public-keys-file';

const dir = mkdtempSync(join(tmpdir(), 'yj-jwks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('JWT_PUBLIC_KEYS_FILE', () => {
  it('reads a JWKS of public keys with kid', async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' };
    expect(readPublicKeysFile(file('ok.json', JSON.stringify({ keys: [jwk] }))).keys[0]).toMatchObject({
      kid: 'k1',
    });
  });

  it('names the file and the problem', async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    const priv = { ...(await exportJWK(pair.privateKey)), kid: 'k1' };
    const pub = await exportJWK(pair.publicKey);
    expect(() => readPublicKeysFile(join(dir, 'missing.json'))).toThrow(/missing\.json: ENOENT/);
    expect(() => readPublicKeysFile(file('bad.json', '{'))).toThrow(/bad\.json: .*JSON/);
    expect(() => readPublicKeysFile(file('nokid.json', JSON.stringify({ keys: [pub] })))).toThrow(
      /nokid\.json: keys\.0\.kid: /,
    );
    expect(() => readPublicKeysFile(file('priv.json', JSON.stringify({ keys: [priv] })))).toThrow(
      /priv\.json: keys\.0: holds a private key/,
    );
  });
});
