import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { TOPICS } from '../../packages/kafka/src/topic-catalogue';
import { mosquittoListeners } from './support/mosquitto-listeners';
import { effectiveConfig, LOOPBACK, SERVICE_CONFIGS } from './support/service-configs';

/**
 * deploy/k8s is applied with `kubectl apply -k` on a real cluster; none is here, so every manifest
 * is validated against the Kubernetes OpenAPI schemas (kubernetes-models: types, required fields,
 * enums, formats) and then checked for what a schema cannot see: each service's env passes its zod
 * config, probes hit the port the service listens on, selectors, Services, PDBs, HPAs and the Ingress
 * point at things that exist, and every container is locked down.
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const K8S = join(ROOT, 'deploy/k8s');

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML until validated
type Doc = Record<string, any>;
// biome-ignore lint/suspicious/noExplicitAny: each model class takes its own typed data
type Model = new (data: any) => { validate(): void };
const MODELS: Record<string, Model> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
};
/** The Container fields of the Kubernetes API: the schemas allow unknown keys, so a typo would pass them. */
const CONTAINER_FIELDS = new Set([
  'name', 'image', 'imagePullPolicy', 'command', 'args', 'workingDir', 'ports', 'env', 'envFrom',
  'resources', 'resizePolicy', 'restartPolicy', 'volumeMounts', 'volumeDevices', 'livenessProbe',
  'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy',
  'securityContext', 'stdin', 'stdinOnce', 'tty',
]); // biome-ignore format: one list

function readDocs(file: string): Doc[] {
  return parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return d.toJS() as Doc;
  });
}

const kustomization = readDocs('kustomization.yaml')[0]!;
const resources = kustomization.resources as string[];
const docs = resources.flatMap((f) => readDocs(f).map((d) => ({ file: f, doc: d })));
const secretTemplate = readDocs('secret.template.yaml')[0]!;
const all = [...docs, { file: 'secret.template.yaml', doc: secretTemplate }];
const ofKind = (kind: string) => docs.filter((d) => d.doc.kind === kind).map((d) => d.doc);
const workloads = [...ofKind('Deployment'), ...ofKind('StatefulSet'), ...ofKind('Job')];
const configMap = ofKind('ConfigMap').find((c) => c.metadata.name === 'yujing-config')!;
/** The template with its change-me placeholders replaced, as the operator is told to do. */
const secretData: Record<string, string> = Object.fromEntries(
  Object.entries(secretTemplate.stringData as Record<string, string>).map(([k, v]) => [
    k,
    v.replace(/change-me[a-z0-9-]*/g, `Filled${k}x${'9'.repeat(32)}`),
  ]),
);
const podSpec = (w: Doc): Doc => w.spec?.template?.spec;
const serviceWorkload = (name: string) => workloads.find((w) => w.metadata.name === name);

/** A container's environment as the kubelet would build it for pod `podName`. */
function containerEnv(container: Doc, podName: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (from === undefined) env[e.name] = String(e.value);
    else if (from.configMapKeyRef) {
      expect(from.configMapKeyRef.name).toBe('yujing-config');
      expect(configMap.data, `ConfigMap key ${from.configMapKeyRef.key}`).toHaveProperty(
        from.configMapKeyRef.key,
      );
      env[e.name] = configMap.data[from.configMapKeyRef.key];
    } else if (from.secretKeyRef) {
      expect(from.secretKeyRef.name).toBe('yujing-secrets');
      expect(secretData, `Secret key ${from.secretKeyRef.key}`).toHaveProperty(from.secretKeyRef.key);
      env[e.name] = secretData[from.secretKeyRef.key]!;
    } else if (from.fieldRef?.fieldPath === 'metadata.name') env[e.name] = podName;
    else throw new Error(`${container.name}: env ${e.name} has an unsupported source`);
  }
  return env;
}

describe('deploy/k8s manifests (validated without a cluster)', () => {
  it('lists every manifest in kustomization.yaml (the Secret template apart, filled in first)', () => {
    const files = readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...resources, 'secret.template.yaml'].sort()).toEqual(files.sort());
  });

  it.each(all.map((d) => [`${d.file}: ${d.doc.kind}/${d.doc.metadata?.name}`, d.doc] as const))(
    '%s is valid against the Kubernetes schema',
    (_label, doc) => {
      const model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect(model, `no schema for ${doc.apiVersion}/${doc.kind}`).toBeDefined();
      expect(() => new model!(doc).validate()).not.toThrow();
      for (const c of [...(podSpec(doc)?.containers ?? []), ...(podSpec(doc)?.initContainers ?? [])]) {
        expect(
          Object.keys(c).filter((k) => !CONTAINER_FIELDS.has(k)),
          `${c.name}: unknown fields`,
        ).toEqual([]);
      }
    },
  );

  it('the schema validator itself rejects a broken manifest', () => {
    const broken = structuredClone(serviceWorkload('operator-api')!);
    broken.spec.replicas = 'two';
    delete broken.spec.template.spec.containers;
    expect(() => new Deployment(broken).validate()).toThrow(/replicas must be integer/);
  });

  it('runs every service under services/ that has an entry point', () => {
    const withMain = readdirSync(join(ROOT, 'services')).filter((d) =>
      existsSync(join(ROOT, 'services', d, 'src/main.ts')),
    );
    for (const svc of withMain) expect(serviceWorkload(svc), `${svc} has no workload`).toBeDefined();
  });

  it.each(Object.keys(SERVICE_CONFIGS).filter((s) => serviceWorkload(s)))(
    '%s: env passes its config schema, binds 0.0.0.0 and is probed on its own port',
    (name) => {
      const spec = podSpec(serviceWorkload(name)!);
      const c = spec.containers.find((x: Doc) => x.name === name);
      const result = effectiveConfig(name, containerEnv(c, `${name}-0`));
      expect(result.ok ? [] : result.issues, `${name} config issues`).toEqual([]);
      if (!result.ok) return;
      const shape = SERVICE_CONFIGS[name]!;
      expect(result.config[shape.hostVar]).toBe('0.0.0.0');
      const { [shape.hostVar]: _host, ...rest } = result.config;
      expect(JSON.stringify(rest), `${name}: effective config names a loopback address`).not.toMatch(
        LOOPBACK,
      );
      const http = c.ports.find((p: Doc) => p.name === 'http');
      expect(http?.containerPort, `${name}: containerPort "http" is ${shape.portVar}`).toBe(
        result.config[shape.portVar],
      );
      for (const [probe, path] of [
        ['startupProbe', '/healthz'],
        ['livenessProbe', '/healthz'],
        ['readinessProbe', '/readyz'],
      ] as const) {
        expect(c[probe]?.httpGet, `${name}: ${probe}`).toEqual({ path, port: 'http' });
      }
      expect(c.workingDir).toBe(`/app/services/${name}`);
      expect(existsSync(join(ROOT, 'services', name, c.command.at(-1)))).toBe(true);
    },
  );

  it('locks down every container and gives each resources', () => {
    for (const w of workloads) {
      const spec = podSpec(w);
      expect(spec.securityContext?.runAsNonRoot, w.metadata.name).toBe(true);
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        const label = `${w.metadata.name}/${c.name}`;
        expect(c.securityContext, label).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources?.requests?.cpu, label).toBeDefined();
        expect(c.resources?.requests?.memory, label).toBeDefined();
        expect(c.resources?.limits?.memory, label).toBeDefined();
        // A read-only root filesystem needs a writable /tmp for tsx's compile cache.
        if (c.image.startsWith('yujing'))
          expect(c.volumeMounts, label).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        for (const m of c.volumeMounts ?? [])
          expect(
            [...(spec.volumes ?? []), ...(w.spec.volumeClaimTemplates ?? []).map((t: Doc) => t.metadata)].map(
              (v: Doc) => v.name,
            ),
            `${label}: volume ${m.name}`,
          ).toContain(m.name);
      }
    }
  });

  it('points Services, PDBs, HPAs and the Ingress at things that exist', () => {
    const labelsMatch = (sel: Record<string, string>, w: Doc) =>
      Object.entries(sel).every(([k, v]) => w.spec.template.metadata.labels?.[k] === v);
    for (const w of workloads.filter((x) => x.kind !== 'Job')) {
      expect(
        labelsMatch(w.spec.selector.matchLabels, w),
        `${w.metadata.name}: selector matches its pods`,
      ).toBe(true);
    }
    const services = ofKind('Service');
    for (const s of services) {
      const targets = workloads.filter((w) => labelsMatch(s.spec.selector, w));
      expect(targets.length, `Service ${s.metadata.name} selects a workload`).toBe(1);
      const ports = podSpec(targets[0]!).containers.flatMap((c: Doc) => c.ports ?? []);
      for (const p of s.spec.ports)
        expect(
          ports.map((x: Doc) => x.name),
          `${s.metadata.name}: targetPort ${p.targetPort}`,
        ).toContain(p.targetPort);
    }
    for (const pdb of ofKind('PodDisruptionBudget')) {
      expect(
        workloads.some((w) => labelsMatch(pdb.spec.selector.matchLabels, w)),
        pdb.metadata.name,
      ).toBe(true);
    }
    for (const hpa of ofKind('HorizontalPodAutoscaler')) {
      const t = hpa.spec.scaleTargetRef;
      expect(
        workloads.some((w) => w.kind === t.kind && w.metadata.name === t.name),
        hpa.metadata.name,
      ).toBe(true);
    }
    const backends = ofKind('Ingress').flatMap((i) =>
      i.spec.rules.flatMap((r: Doc) => r.http.paths.map((p: Doc) => p.backend.service)),
    );
    for (const b of backends) {
      const svc = services.find((s) => s.metadata.name === b.name);
      expect(svc, `Ingress backend ${b.name}`).toBeDefined();
      expect(svc!.spec.ports.map((p: Doc) => p.name)).toContain(b.port.name);
    }
    expect(backends.map((b) => b.name)).toEqual(expect.arrayContaining(['operator-api', 'console']));
  });

  it('has a PDB for every long-running service and an HPA for the stateless ones, none for rules-worker', () => {
    const pdbs = ofKind('PodDisruptionBudget').map((p) => p.metadata.name);
    const hpas = ofKind('HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name);
    for (const name of Object.keys(SERVICE_CONFIGS).filter((s) => serviceWorkload(s))) {
      expect(pdbs, name).toContain(name);
      if (name !== 'rules-worker') expect(hpas, name).toContain(name);
    }
    // Partitions of yj.readings.v1 bound the rules-worker: more replicas would hold no partition.
    expect(hpas).not.toContain('rules-worker');
    expect(serviceWorkload('rules-worker')!.spec.replicas).toBeLessThanOrEqual(TOPICS.readings.partitions);
    expect(readFileSync(join(K8S, 'rules-worker.yaml'), 'utf8')).toMatch(/partitions/);
  });

  it('exposes MQTT outside the cluster and keeps the broker closed to anonymous clients', () => {
    const publicMqtt = ofKind('Service').find(
      (s) =>
        ['LoadBalancer', 'NodePort'].includes(s.spec.type) && s.spec.ports.some((p: Doc) => p.port === 1883),
    );
    expect(publicMqtt, 'a LoadBalancer/NodePort Service on 1883').toBeDefined();
    const conf = ofKind('ConfigMap').find((c) => c.metadata.name === 'mosquitto-config')!.data[
      'mosquitto.conf'
    ];
    const listeners = mosquittoListeners(conf);
    for (const l of listeners) expect(l.settings.allow_anonymous, `listener ${l.port}`).toBe('false');
    // The public Service reaches only listeners whose client ids are the gateways' usernames.
    const mosquittoPorts = podSpec(serviceWorkload('mosquitto')!).containers[0].ports as Doc[];
    const portOf = (name: string) => mosquittoPorts.find((p) => p.name === name)?.containerPort;
    for (const p of publicMqtt!.spec.ports) {
      const listener = listeners.find((l) => l.port === portOf(p.targetPort));
      expect(listener?.settings.use_username_as_clientid, `public port ${p.port}`).toBe('true');
    }
    // gateway-ingest signs in on the service accounts' listener, through the cluster-only Service.
    const ingest = podSpec(serviceWorkload('gateway-ingest')!).containers[0];
    const mqttUrl = new URL(ingest.env.find((e: Doc) => e.name === 'MQTT_URL').value);
    const internal = ofKind('Service').find((s) => s.metadata.name === mqttUrl.hostname)!;
    expect(internal.spec.type ?? 'ClusterIP').toBe('ClusterIP');
    const target = internal.spec.ports.find((p: Doc) => p.port === Number(mqttUrl.port));
    const serviceListener = listeners.find((l) => l.port === portOf(target.targetPort));
    expect(serviceListener?.settings.password_file).toMatch(/passwd-services$/);
    const pidFile = /^pid_file (\S+)$/m.exec(conf)![1];
    const sidecar = podSpec(serviceWorkload('mosquitto')!).containers.find(
      (c: Doc) => c.name === 'broker-auth',
    );
    expect(sidecar.command).toEqual(expect.arrayContaining(['--follow', '--reload-pid-file', pidFile]));
    expect(podSpec(serviceWorkload('mosquitto')!).shareProcessNamespace).toBe(true);
  });
});
