import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { type CliCommandGroup, defineCommand } from '../cli-command';
import { EXIT } from '../exit-codes';

/**
 * `yujing token mint --role R --scope LEVEL:CODE [--sub ID] [--name N] [--ttl 12h]`: prints an
 * HS256 bearer JWT for the operator API, signed with JWT_SECRET from the environment. Claims
 * (docs/access-control.md): { sub, role, scope: {level, code}, name?, jti, iss, iat, exp }.
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
    if (level !== 'enterprise' && !/^\d{6}$/.test(a.scope.split(':')[1] ?? ''))
      ctx.addIssue({
        code: 'custom',
        path: ['scope'],
        message: 'region scopes take a 6-digit administrative code',
      });
  });
export type MintArgs = z.input<typeof MintArgs>;

/** Mints a token (exported for tests and scripts). */
export async function mintToken(args: MintArgs, secret: string, now = Date.now()): Promise<string> {
  const a = MintArgs.parse(args);
  const [level, code] = a.scope.split(':') as [string, string];
  const m = TTL.exec(a.ttl) as RegExpExecArray;
  const ttlS = Number(m[1]) * { m: 60, h: 3600, d: 86_400 }[m[2] as 'm' | 'h' | 'd'];
  const iat = Math.floor(now / 1000);
  return new SignJWT({
    role: a.role,
    scope: { level, code },
    ...(a.name !== undefined ? { name: a.name } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(a.sub ?? `${a.role}@${a.scope}`)
    .setJti(randomUUID())
    .setIssuer(a.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlS)
    .sign(new TextEncoder().encode(secret));
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
      summary: 'print a signed JWT for a role and scope (needs JWT_SECRET)',
      options: MINT_OPTIONS,
      details: [
        'environment:',
        '  JWT_SECRET  the operator-api HS256 key, at least 32 characters (required)',
        '  JWT_ISSUER  iss claim (default yujing)',
        'example: yujing token mint --role regulator --scope city:140100 --ttl 12h',
      ],
      async run({ values }, io) {
        const secret = io.env.JWT_SECRET;
        if (!secret || secret.length < 32) {
          io.err(
            'yujing token mint: JWT_SECRET (at least 32 characters, the operator-api value) must be set',
          );
          return EXIT.usage;
        }
        const parsed = MintArgs.safeParse({
          ...values,
          ...(io.env.JWT_ISSUER ? { issuer: io.env.JWT_ISSUER } : {}),
        });
        if (!parsed.success) {
          for (const i of parsed.error.issues)
            io.err(`yujing token mint: --${i.path.join('.') || 'args'}: ${i.message}`);
          return EXIT.usage;
        }
        io.out(await mintToken(parsed.data, secret));
        return EXIT.ok;
      },
    }),
  },
};
