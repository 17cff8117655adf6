import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDurationMs } from '@yujing/config';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { z } from 'zod';
import { type CliCommandGroup, defineCommand } from '../cli-command';
import { EXIT } from '../exit-codes';

/**
 * `yujing token mint --role R --scope LEVEL:CODE [--sub ID] [--name N] [--ttl 12h]`: prints a
 * bearer JWT for the operator API, signed with JWT_PRIVATE_KEY_FILE (EdDSA, with its kid) when set,
 * else HS256 with JWT_SECRET. Claims (docs/access-control.md):
 * { sub, role, scope: {level, code}, name?, jti, iss, aud, iat, exp }.
 * `yujing token keygen --kid K --out DIR` writes an EdDSA key pair: the private JWK for the minter,
 * a JWKS with the public key for operator-api's JWT_PUBLIC_KEYS_FILE.
 */
const ROLES = ['operator', 'regulator', 'enterprise', 'admin'] as const;
const TTL = /^(\d+)(m|h|d)$/;

export const MintArgs = z
  .object({
    role: z.enum(ROLES),
    scope: z
      .string()
      .regex(
        /^(province|city|county|enterprise):[0-9A-Za-z]{6,18}$/,
        'expected LEVEL:CODE, e.g. city:140100 or enterprise:140105TY001',
      ),
    sub: z.string().min(1).max(128).optional(),
    name: z.string().max(128).optional(),
    ttl: z.string().regex(TTL, 'expected e.g. 30m, 12h or 30d').default('12h'),
    issuer: z.string().min(1).default('yujing'),
    audience: z.string().min(1).default('yujing-operator-api'),
    /** The API refuses tokens living longer (its JWT_MAX_TTL_MS); minting one would only fail later. */
    maxTtlS: z.number().int().positive().default(86_400),
  })
  .superRefine((a, ctx) => {
    const level = a.scope.split(':')[0];
    if ((a.role === 'enterprise') !== (level === 'enterprise'))
      ctx.addIssue({
        code: 'custom',
        path: ['scope'],
        message:
          a.role === 'enterprise'
            ? 'an enterprise token needs --scope enterprise:<id>'
            : `a ${a.role} token needs a province, city or county scope`,
      });
    if (ttlSeconds(a.ttl) > a.maxTtlS)
      ctx.addIssue({
        code: 'custom',
        path: ['ttl'],
        message: `longer than the ${a.maxTtlS} s operator-api accepts (JWT_MAX_TTL_MS)`,
      });
    if (level !== 'enterprise' && !/^\d{6}$/.test(a.scope.split(':')[1] ?? ''))
      ctx.addIssue({
        code: 'custom',
        path: ['scope'],
        message: 'region scopes take a 6-digit administrative code',
      });
  });
export type MintArgs = z.input<typeof MintArgs>;

function ttlSeconds(ttl: string): number {
  const m = TTL.exec(ttl);
  if (!m) return 0;
  return Number(m[1]) * { m: 60, h: 3600, d: 86_400 }[m[2] as 'm' | 'h' | 'd'];
}

/** A private signing key (JWK with `kid`, EdDSA by default), as `yujing token keygen` writes it. */
export interface PrivateSigningKey {
  privateJwk: JWK;
}

/** Mints a token (exported for tests, scripts and the console's dev sign-in): HS256 with a secret, or a private JWK. */
export async function mintToken(
  args: MintArgs,
  key: string | PrivateSigningKey,
  now = Date.now(),
): Promise<string> {
  const a = MintArgs.parse(args);
  const [level, code] = a.scope.split(':') as [string, string];
  const iat = Math.floor(now / 1000);
  const jwt = new SignJWT({
    role: a.role,
    scope: { level, code },
    ...(a.name !== undefined ? { name: a.name } : {}),
  })
    .setSubject(a.sub ?? `${a.role}@${a.scope}`)
    .setJti(randomUUID())
    .setIssuer(a.issuer)
    .setAudience(a.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds(a.ttl));
  if (typeof key === 'string')
    return jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(key));
  const alg = key.privateJwk.alg ?? 'EdDSA';
  if (!key.privateJwk.kid) throw new Error('the private key has no kid (the API picks the public key by it)');
  return jwt
    .setProtectedHeader({ alg, kid: key.privateJwk.kid, typ: 'JWT' })
    .sign(await importJWK(key.privateJwk, alg));
}

/** A new EdDSA (Ed25519) key pair: the private JWK for minting, the public one in a JWKS for the API. */
export async function generateSigningKey(kid: string): Promise<{ privateJwk: JWK; jwks: { keys: JWK[] } }> {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  const meta = { kid, alg: 'EdDSA', use: 'sig' };
  return {
    privateJwk: { ...(await exportJWK(pair.privateKey)), ...meta },
    jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), ...meta }] },
  };
}

const MINT_OPTIONS = {
  role: { type: 'string', valueName: '<role>', description: `one of ${ROLES.join(', ')}` },
  scope: {
    type: 'string',
    valueName: '<LEVEL:CODE>',
    description: 'province|city|county:<6-digit code>, or enterprise:<id> for an enterprise token',
  },
  sub: { type: 'string', valueName: '<id>', description: 'subject (default <role>@<scope>)' },
  name: { type: 'string', valueName: '<name>', description: 'display name carried in the token' },
  ttl: { type: 'string', valueName: '<30m|12h|30d>', description: 'lifetime (default 12h)' },
} as const;

export const tokenCommands: CliCommandGroup = {
  name: 'token',
  summary: 'bearer tokens for the operator API',
  commands: {
    mint: defineCommand({
      summary: 'print a signed JWT for a role and scope (needs JWT_PRIVATE_KEY_FILE or JWT_SECRET)',
      options: MINT_OPTIONS,
      details: [
        'environment:',
        '  JWT_PRIVATE_KEY_FILE  private JWK from `yujing token keygen` (EdDSA, signs with its kid)',
        '  JWT_SECRET            else: the operator-api HS256 key, at least 32 characters',
        '  JWT_ISSUER            iss claim (default yujing)',
        '  JWT_AUDIENCE          aud claim (default yujing-operator-api)',
        '  JWT_MAX_TTL_MS        longest --ttl the API accepts (default 24h)',
        'example: yujing token mint --role regulator --scope city:140100 --ttl 12h',
      ],
      async run({ values }, io) {
        let key: string | PrivateSigningKey;
        const keyFile = io.env.JWT_PRIVATE_KEY_FILE;
        const secret = io.env.JWT_SECRET;
        if (keyFile) {
          try {
            key = { privateJwk: JSON.parse(await readFile(keyFile, 'utf8')) as JWK };
          } catch (err) {
            io.err(`yujing token mint: JWT_PRIVATE_KEY_FILE ${keyFile}: ${(err as Error).message}`);
            return EXIT.usage;
          }
        } else if (secret && secret.length >= 32) key = secret;
        else {
          io.err(
            'yujing token mint: JWT_PRIVATE_KEY_FILE or JWT_SECRET (at least 32 characters, the operator-api value) must be set',
          );
          return EXIT.usage;
        }
        const maxTtlMs = io.env.JWT_MAX_TTL_MS ? parseDurationMs(io.env.JWT_MAX_TTL_MS) : undefined;
        const parsed = MintArgs.safeParse({
          ...values,
          ...(io.env.JWT_ISSUER ? { issuer: io.env.JWT_ISSUER } : {}),
          ...(io.env.JWT_AUDIENCE ? { audience: io.env.JWT_AUDIENCE } : {}),
          ...(maxTtlMs !== undefined ? { maxTtlS: Math.floor(maxTtlMs / 1000) } : {}),
        });
        if (!parsed.success) {
          for (const i of parsed.error.issues)
            io.err(`yujing token mint: --${i.path.join('.') || 'args'}: ${i.message}`);
          return EXIT.usage;
        }
        try {
          io.out(await mintToken(parsed.data, key));
        } catch (err) {
          io.err(`yujing token mint: ${(err as Error).message}`);
          return EXIT.usage;
        }
        return EXIT.ok;
      },
    }),
    keygen: defineCommand({
      summary: 'write an EdDSA key pair: the private JWK for minting, a JWKS for operator-api',
      options: {
        kid: { type: 'string', valueName: '<kid>', description: 'key id, e.g. yj-2026-12 (required)' },
        out: {
          type: 'string',
          valueName: '<dir>',
          description: 'directory for <kid>.private.jwk.json and jwks.json',
        },
      },
      details: [
        'the API verifies with JWT_PUBLIC_KEYS_FILE=<dir>/jwks.json and never holds the private key;',
        'mint with JWT_PRIVATE_KEY_FILE=<dir>/<kid>.private.jwk.json (written with mode 0600)',
      ],
      async run({ values }, io) {
        if (!values.kid || !/^[A-Za-z0-9._-]{1,64}$/.test(values.kid) || !values.out) {
          io.err('yujing token keygen: --kid <[A-Za-z0-9._-]{1,64}> and --out <dir> are required');
          return EXIT.usage;
        }
        const { privateJwk, jwks } = await generateSigningKey(values.kid);
        await mkdir(values.out, { recursive: true });
        const privatePath = join(values.out, `${values.kid}.private.jwk.json`);
        await writeFile(privatePath, `${JSON.stringify(privateJwk)}\n`, { mode: 0o600, flag: 'wx' });
        await chmod(privatePath, 0o600);
        await writeFile(join(values.out, 'jwks.json'), `${JSON.stringify(jwks, null, 2)}\n`);
        io.out(privatePath);
        io.out(join(values.out, 'jwks.json'));
        return EXIT.ok;
      },
    }),
  },
};
