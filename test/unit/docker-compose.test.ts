import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  interpolate,
  interpolateDeep,
  MissingVariableError,
  parseEnvFile,
} from './support/compose-interpolation';
import { mosquittoListeners } from './support/mosquitto-listeners';
import { effectiveConfig, LOOPBACK, SERVICE_CONFIGS } from './support/service-configs';

/**
 * docker-compose.yml cannot run here (no Docker), so it is checked statically, read the way
 * `docker compose --env-file deploy/compose/.env.example up` would read it: every service's
 * environment must pass that service's zod config schema and bind 0.0.0.0, every published port
 * and healthcheck must hit a port the container listens on, every volume and file must exist, and
 * every depends_on target must be able to satisfy its condition.
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const ENV_EXAMPLE = join(ROOT, 'deploy/compose/.env.example');

interface ComposeService {
  image?: string;
  build?: string | { context: string };
  command?: string[] | string;
  working_dir?: string;
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }> | string[];
  restart?: string;
  user?: string;
  pid?: string;
  read_only?: boolean;
  cap_drop?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const envExample = parseEnvFile(readFileSync(ENV_EXAMPLE, 'utf8'));
/** The example with every change-me placeholder replaced, as the operator is told to do. */
const envFilled = Object.fromEntries(
  Object.entries(envExample).map(([k, v]) => [
    k,
    v.startsWith('change-me') ? `Filled${k}x${'9'.repeat(32)}` : v,
  ]),
);
const raw = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;
const usedVariables = new Set<string>();
const compose = interpolateDeep(raw, envFilled, usedVariables) as ComposeFile;
const services = compose.services;

const envOf = (s: ComposeService): Record<string, string> =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));
const healthcheckText = (s: ComposeService) =>
  Array.isArray(s.healthcheck?.test) ? s.healthcheck.test.join(' ') : (s.healthcheck?.test ?? '');
/** The repository path of a container path under /app (the Dockerfile's WORKDIR). */
const repoPath = (containerPath: string) => join(ROOT, posix.relative('/app', containerPath));
const isYujingImage = (s: ComposeService) => raw.services && s.image?.includes('yujing');
const yujingServices = Object.entries(services).filter(([name]) => SERVICE_CONFIGS[name] !== undefined);

/** Ports the infrastructure containers listen on, read from their own configuration. */
function infraPorts(name: string, s: ComposeService): number[] {
  if (name === 'kafka') {
    return [...String(s.environment?.KAFKA_LISTENERS).matchAll(/:(\d+)/g)].map((m) => Number(m[1]));
  }
  if (name === 'mosquitto') {
    const conf = readFileSync(join(ROOT, 'deploy/compose/mosquitto/mosquitto.conf'), 'utf8');
    return [...conf.matchAll(/^listener (\d+)/gm)].map((m) => Number(m[1]));
  }
  if (name === 'questdb') return [9000, 8812, 9009, 9003]; // HTTP, PG wire, ILP/TCP, health (QuestDB defaults)
  if (name === 'redis') return [6379];
  if (name === 'prometheus') return [9090];
  if (name === 'grafana') return [3000];
  return [];
}

describe('docker-compose.yml (static: no Docker on this machine)', () => {
  it('needs only variables that deploy/compose/.env.example documents, and fails loudly on a missing secret', () => {
    for (const name of usedVariables) {
      const hasDefault = new RegExp(`\\$\\{${name}:?-`).test(readFileSync(COMPOSE_FILE, 'utf8'));
      if (!hasDefault) expect(envExample, `${name} is used without a default`).toHaveProperty(name);
    }
    const { JWT_SECRET: _dropped, ...withoutJwt } = envFilled;
    expect(() => interpolateDeep(raw, withoutJwt)).toThrow(MissingVariableError);
    // The example cannot go live unchanged: the API refuses its placeholder signing key.
    const asShipped = interpolateDeep(raw, envExample) as ComposeFile;
    const api = effectiveConfig('operator-api', envOf(asShipped.services['operator-api']!));
    expect(api.ok ? [] : api.issues).toEqual([expect.stringMatching(/^JWT_SECRET: /)]);
    expect(interpolate('$${X} ${A:-d} ${B-e}', { B: '' })).toBe('${X} d ');
  });

  it('runs every service under services/ that has an entry point, with an entry file that exists', () => {
    const withMain = readdirSync(join(ROOT, 'services')).filter((d) =>
      existsSync(join(ROOT, 'services', d, 'src/main.ts')),
    );
    expect(withMain.length).toBeGreaterThanOrEqual(6);
    for (const svc of withMain) expect(Object.keys(services), `${svc} missing from compose`).toContain(svc);
    for (const [name, s] of Object.entries(services)) {
      if (!isYujingImage(s)) continue;
      const cmd = s.command as string[];
      // A service's src/main.ts (under tsx), or the CLI's launcher of its bundle, which the image builds.
      const entry = cmd.find((a) => a.endsWith('.ts') || a.endsWith('.mjs'));
      expect(entry, `${name}: command runs a .ts or .mjs entry`).toBeDefined();
      if (entry === 'packages/cli/bin/yujing.mjs')
        expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), `${name}: the image builds the CLI`).toContain(
          'pnpm --filter @yujing/cli run build',
        );
      expect(existsSync(join(repoPath(s.working_dir ?? '/app'), entry!)), `${name}: ${entry} exists`).toBe(
        true,
      );
    }
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
  });

  it.each(yujingServices.map(([n]) => n))(
    '%s: its environment passes the service config schema and binds 0.0.0.0',
    (name) => {
      const s = services[name]!;
      const env = envOf(s);
      const result = effectiveConfig(name, env);
      expect(result.ok ? [] : result.issues, `${name} config issues`).toEqual([]);
      if (!result.ok) return;
      const shape = SERVICE_CONFIGS[name]!;
      expect(result.config[shape.hostVar], `${name}.${shape.hostVar}`).toBe('0.0.0.0');
      // A default such as 127.0.0.1:9092 left in place would point at the container itself.
      const { [shape.hostVar]: _host, ...rest } = result.config;
      expect(JSON.stringify(rest), `${name}: effective config names a loopback address`).not.toMatch(
        LOOPBACK,
      );
    },
  );

  it('publishes and probes only ports the containers listen on', () => {
    for (const [name, s] of Object.entries(services)) {
      const shape = SERVICE_CONFIGS[name];
      const effective = shape ? effectiveConfig(name, envOf(s)) : undefined;
      if (effective && !effective.ok) throw new Error(`${name}: ${effective.issues.join('; ')}`);
      const listening = effective?.ok ? [Number(effective.config[shape!.portVar])] : infraPorts(name, s);
      for (const mapping of s.ports ?? []) {
        const parts = mapping.split(':');
        expect(parts.length, `${name}: "${mapping}" names host address, host port and container port`).toBe(
          3,
        );
        expect(parts[0], `${name}: "${mapping}" binds an address`).toMatch(/^(127\.0\.0\.1|0\.0\.0\.0)$/);
        expect(listening, `${name}: published ${mapping}`).toContain(Number(parts[2]));
      }
      const probed = [...healthcheckText(s).matchAll(/(?:127\.0\.0\.1|kafka)[:/](\d+)|-p (\d+)/g)].map((m) =>
        Number(m[1] ?? m[2]),
      );
      for (const port of probed) expect(listening, `${name}: healthcheck probes ${port}`).toContain(port);
      if (shape) expect(probed, `${name}: healthcheck probes its own port`).toEqual(listening);
    }
  });

  it('mounts only declared named volumes and files that exist', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const [source] = v.split(':');
        if (source!.startsWith('.') || source!.startsWith('/')) {
          expect(existsSync(join(ROOT, source!)), `${name}: bind source ${source} exists`).toBe(true);
        } else {
          expect(declared, `${name}: volume ${source} is declared`).toContain(source);
        }
      }
    }
    // The broker's config and its auth files' locations agree.
    const conf = readFileSync(join(ROOT, 'deploy/compose/mosquitto/mosquitto.conf'), 'utf8');
    expect(conf).toMatch(/^per_listener_settings true$/m);
    const listeners = mosquittoListeners(conf);
    for (const l of listeners) expect(l.settings.allow_anonymous, `listener ${l.port}`).toBe('false');
    // Gateways reach only the published listener, whose client ids are their usernames; the ingest
    // service signs in on the other one, which holds service accounts alone and is not published.
    const published = (services.mosquitto!.ports ?? []).map((m) => Number(m.split(':')[2]));
    const ingestPort = Number(new URL(envOf(services['gateway-ingest']!).MQTT_URL!).port);
    expect(published).not.toContain(ingestPort);
    for (const l of listeners) {
      if (published.includes(l.port))
        expect(l.settings.use_username_as_clientid, `listener ${l.port}`).toBe('true');
    }
    expect(listeners.find((l) => l.port === ingestPort)?.settings.password_file).toMatch(/passwd-services$/);
    const authDir = services.mosquitto!.volumes!.find((v) => v.startsWith('mosquitto-auth:'))!.split(':')[1];
    expect(conf).toContain(`password_file ${authDir}/passwd`);
    expect(conf).toContain(`acl_file ${authDir}/acl`);
    expect(services['broker-auth']!.command).toEqual(
      expect.arrayContaining([`${authDir}/passwd`, `${authDir}/acl`]),
    );
  });

  it('orders the start with conditions each target can meet', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.depends_on === undefined) continue;
      expect(Array.isArray(s.depends_on), `${name}: depends_on states a condition per target`).toBe(false);
      for (const [target, { condition }] of Object.entries(s.depends_on)) {
        const t = services[target];
        expect(t, `${name} depends on unknown ${target}`).toBeDefined();
        if (condition === 'service_healthy')
          expect(t!.healthcheck, `${target} has a healthcheck`).toBeDefined();
        else if (condition === 'service_completed_successfully')
          expect(t!.restart, `${target} is one-shot`).toBe('no');
        else throw new Error(`${name} → ${target}: condition ${condition} is not allowed here`);
      }
    }
    // Every service that reads the registry starts after it was published.
    for (const name of [
      'rules-worker',
      'alert-dispatcher',
      'kafka-ingest',
      'gateway-ingest',
      'broker-auth',
    ]) {
      expect(services[name]!.depends_on).toHaveProperty(
        'registry-publish.condition',
        'service_completed_successfully',
      );
    }
    expect(services['broker-auth']!.pid).toBe('service:mosquitto');
  });

  it('lets the monitoring profile scrape every service on its port and load the dashboards', () => {
    const promConfig = parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = promConfig.scrape_configs.flatMap((c) => c.static_configs.flatMap((sc) => sc.targets));
    const expected = yujingServices.map(([name, s]) => {
      const effective = effectiveConfig(name, envOf(s));
      return `${name}:${effective.ok ? effective.config[SERVICE_CONFIGS[name]!.portVar] : '?'}`;
    });
    expect(targets.sort()).toEqual(expected.sort());
    const provisioning = parse(
      readFileSync(join(ROOT, 'deploy/grafana/provisioning/dashboards/yujing.yaml'), 'utf8'),
    ) as { providers: Array<{ options: { path: string } }> };
    const dashboardsMount = services.grafana!.volumes!.find((v) =>
      v.startsWith('./deploy/grafana/dashboards:'),
    );
    expect(dashboardsMount?.split(':')[1]).toBe(provisioning.providers[0]!.options.path);
  });

  it('gives Kafka an internal and an external listener, the services the internal one', () => {
    const kafka = envOf(services.kafka!);
    expect(kafka.KAFKA_ADVERTISED_LISTENERS).toMatch(/INTERNAL:\/\/kafka:19092/);
    expect(kafka.KAFKA_ADVERTISED_LISTENERS).toMatch(/EXTERNAL:\/\/[^,]+:9092/);
    for (const [name, s] of Object.entries(services)) {
      if (isYujingImage(s)) expect(envOf(s).KAFKA_BROKERS, name).toBe('kafka:19092');
    }
  });

  it('keeps Redis in append-only mode with a password, and the yujing containers locked down', () => {
    const redis = (services.redis!.command as string[]).join(' ');
    expect(redis).toContain('--appendonly yes');
    expect(redis).toContain('--requirepass');
    for (const [name, s] of Object.entries(services)) {
      if (!isYujingImage(s)) continue;
      expect(s.read_only, name).toBe(true);
      expect(s.cap_drop, name).toEqual(['ALL']);
    }
  });
});
