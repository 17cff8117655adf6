import { describe, expect, it } from 'vitest';
import {
  type BrokerUser,
  gatewayUsername,
  ingestServiceAccount,
  parseAcl,
  parseGatewayUsername,
  parsePasswd,
  planBrokerUsers,
  renderBrokerAuth,
  usersFromFiles,
} from '../src/index';

const H1 = '$7$101$c2FsdHNhbHQ=$aGFzaGhhc2g=';
const H2 = '$7$101$b3RoZXJzYWx0$b3RoZXJoYXNo';
const gw = (enterpriseId: string, id: string, hash = H1) => ({
  enterpriseId,
  id,
  credentials: { mqttPasswordHash: hash, httpTokenSha256: 'a'.repeat(64) },
});
/** What deploy/local/stack.sh bootstraps (mosquitto_passwd + its own ACL). */
const BOOTSTRAP = {
  passwd: 'yujing-ingest:$7$101$Ym9vdA==$Ym9vdGhhc2g=\n',
  acl: '# Bootstrap ACL\nuser yujing-ingest\ntopic read yj/v1/#\n',
};

describe('gateway usernames', () => {
  it.each([
    ['140105001', 'gw-01', '140105001.gw-01'],
    ['140105001', 'gw.7.a', '140105001.gw.7.a'],
  ])('%s/%s ↔ %s', (e, g, u) => {
    expect(gatewayUsername(e, g)).toBe(u);
    expect(parseGatewayUsername(u)).toEqual({ enterpriseId: e, gatewayId: g });
  });
  it.each(['nodot', '.x', 'x.'])('%s is not a gateway username', (u) =>
    expect(parseGatewayUsername(u)).toBeUndefined(),
  );
});

describe('renderBrokerAuth', () => {
  it('renders username:hash lines and one explicit user block per account', () => {
    const users: BrokerUser[] = [
      { username: 'yujing-ingest', passwordHash: H2, grants: [{ access: 'read', topic: 'yj/v1/#' }] },
      {
        username: '140105001.gw-01',
        passwordHash: H1,
        grants: [{ access: 'write', topic: 'yj/v1/140105001/gw-01/#' }],
      },
    ];
    const files = renderBrokerAuth(users);
    expect(files.passwd).toBe(`yujing-ingest:${H2}\n140105001.gw-01:${H1}\n`);
    expect(files.acl).toContain('user yujing-ingest\ntopic read yj/v1/#\n');
    expect(files.acl).toContain('user 140105001.gw-01\ntopic write yj/v1/140105001/gw-01/#\n');
    expect(files.acl.split('\n').filter((l) => l.startsWith('pattern'))).toEqual([]);
    // Round trip through the parsers gives the same accounts.
    expect(usersFromFiles(files)).toEqual(users);
  });

  it.each([
    ['a username with a colon', { username: 'a:b', passwordHash: H1, grants: [] }],
    ['a username with a space', { username: 'a b', passwordHash: H1, grants: [] }],
    ['a hash with a newline', { username: 'ab', passwordHash: `${H1}\nevil:x`, grants: [] }],
    [
      'a topic with a space',
      { username: 'ab', passwordHash: H1, grants: [{ access: 'write' as const, topic: 'a b' }] },
    ],
  ])('refuses %s', (_name, user) => {
    expect(() => renderBrokerAuth([user])).toThrow(/YJ_ERR_BROKERAUTH|not allowed|malformed/);
  });
});

describe('planBrokerUsers', () => {
  const service = ingestServiceAccount('yujing-ingest');

  it('keeps the service account hash from the bootstrap files and adds every gateway, sorted', () => {
    const users = planBrokerUsers({
      gateways: [gw('140105002', 'gw-01'), gw('140105001', 'gw-02')],
      serviceAccounts: [service],
      current: usersFromFiles(BOOTSTRAP),
      mode: 'authoritative',
    });
    expect(users.map((u) => u.username)).toEqual(['yujing-ingest', '140105001.gw-02', '140105002.gw-01']);
    expect(users[0]?.passwordHash).toBe('$7$101$Ym9vdA==$Ym9vdGhhc2g=');
    expect(users[1]?.grants).toEqual([{ access: 'write', topic: 'yj/v1/140105001/gw-02/#' }]);
  });

  it('authoritative mode drops accounts the registry no longer has; additive keeps them', () => {
    const current = usersFromFiles(
      renderBrokerAuth([...usersFromFiles(BOOTSTRAP), { ...gatewayUser('140105009', 'old') }]),
    );
    const names = (mode: 'authoritative' | 'additive') =>
      planBrokerUsers({
        gateways: [gw('140105001', 'gw-01')],
        serviceAccounts: [service],
        current,
        mode,
      }).map((u) => u.username);
    expect(names('authoritative')).toEqual(['yujing-ingest', '140105001.gw-01']);
    expect(names('additive')).toEqual(['yujing-ingest', '140105001.gw-01', '140105009.old']);
  });

  it('a registry change of a gateway password replaces its line', () => {
    const current = usersFromFiles(renderBrokerAuth([gatewayUser('140105001', 'gw-01')]));
    const [user] = planBrokerUsers({
      gateways: [gw('140105001', 'gw-01', H2)],
      serviceAccounts: [],
      current,
      mode: 'additive',
    });
    expect(user?.passwordHash).toBe(H2);
  });

  it('remove drops accounts even in additive mode, never the service account', () => {
    const current = usersFromFiles(
      renderBrokerAuth([...usersFromFiles(BOOTSTRAP), gatewayUser('140105001', 'gw-01')]),
    );
    const users = planBrokerUsers({
      gateways: [],
      serviceAccounts: [service],
      current,
      mode: 'additive',
      remove: ['140105001.gw-01', 'yujing-ingest'],
    });
    expect(users.map((u) => u.username)).toEqual(['yujing-ingest']);
  });

  it('a service account without a hash anywhere is an error, not a locked-out broker', () => {
    expect(() =>
      planBrokerUsers({ gateways: [], serviceAccounts: [service], current: [], mode: 'authoritative' }),
    ).toThrow(/YJ_ERR_BROKERAUTH_SERVICE_ACCOUNT_MISSING|no password hash/);
  });
});

describe('parsers', () => {
  it('ignore comments, blank lines and patterns', () => {
    expect([...parsePasswd('# c\n\nu:h\n')]).toEqual([['u', 'h']]);
    expect([...parseAcl('topic read x\npattern read %u/#\nuser u\ntopic write a/#\ntopic b/#\n')]).toEqual([
      [
        'u',
        [
          { access: 'write', topic: 'a/#' },
          { access: 'readwrite', topic: 'b/#' },
        ],
      ],
    ]);
  });
});

function gatewayUser(e: string, g: string): BrokerUser {
  return {
    username: `${e}.${g}`,
    passwordHash: H1,
    grants: [{ access: 'write', topic: `yj/v1/${e}/${g}/#` }],
  };
}
