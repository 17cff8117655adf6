import {
  builtInTemplate,
  type ClassCode,
  type Point,
  pointKindAllowed,
  type RegistryDocument,
  RegistryEntityKind,
  type RuleTemplate,
} from '@yujing/schemas';
import { DOCUMENT_SECTION, entityId, type RegistryEntity } from './entity-key';
import { resolveEffectivePoint } from './resolve-effective-point';
import { flattenTemplate } from './template-chain';

/** One problem of a registry, located well enough to fix it. */
export interface RegistryProblem {
  file: string;
  entityId?: string;
  /** Dotted field path, e.g. `points.12.limits.h` (zod issue path inside the file's section). */
  path: string;
  message: string;
}

/** Where an entity came from. */
export interface EntitySource {
  file: string;
  /** `<section>.<index>` in its file. */
  path: string;
  id: string;
}

const SCOPE_CODE = {
  province: /^\d{2}0000$/,
  city: /^\d{4}00$/,
  county: /^\d{6}$/,
} as const;

/**
 * Cross-entity checks over a document whose entities are individually valid: duplicate ids
 * (e.g. point codes per enterprise; the first wins), unknown enterprise/gateway/template, point
 * kinds not fitting the enterprise's industries, template `extends` chains, rule overrides and
 * combination references, voting groups (one kind, enough members), subscription scope codes
 * and overlapping escalation policies. Returns the de-duplicated document and every problem.
 */
export function validateRegistry(
  doc: RegistryDocument,
  sourceOf: (entity: RegistryEntity) => EntitySource | undefined = () => undefined,
): { document: RegistryDocument; problems: RegistryProblem[] } {
  const problems: RegistryProblem[] = [];
  const at = (entity: RegistryEntity, field: string | undefined, message: string, id?: string) => {
    const src = sourceOf(entity);
    problems.push({
      file: src?.file ?? '(document)',
      ...((id ?? src?.id) ? { entityId: id ?? src?.id } : {}),
      path: [src?.path ?? '(entity)', field].filter(Boolean).join('.'),
      message,
    });
  };

  // 1. duplicates: the first occurrence wins
  const out = { ...doc } as RegistryDocument;
  for (const kind of RegistryEntityKind.options) {
    const section = DOCUMENT_SECTION[kind];
    const seen = new Map<string, RegistryEntity>();
    const kept: RegistryEntity[] = [];
    for (const e of doc[section] as RegistryEntity[]) {
      const id = entityId(kind, e as never);
      const first = seen.get(id);
      if (first) {
        const where = sourceOf(first);
        const what =
          kind === 'point'
            ? `point code ${(e as Point).code} in enterprise ${(e as Point).enterpriseId}`
            : `${kind} id ${id}`;
        at(
          e,
          kind === 'point' ? 'code' : 'id',
          `duplicate ${what} (first defined at ${where ? `${where.file} ${where.path}` : 'an earlier entry'})`,
          id,
        );
        continue;
      }
      seen.set(id, e);
      kept.push(e);
    }
    (out as Record<string, RegistryEntity[]>)[section] = kept;
  }

  const enterprises = new Map(out.enterprises.map((e) => [e.id, e]));
  const gateways = new Set(out.gateways.map((g) => `${g.enterpriseId}:${g.id}`));
  const templates = new Map(out.templates.map((t) => [t.id, t]));
  const lookup = (id: string): RuleTemplate | undefined => templates.get(id) ?? builtInTemplate(id);

  for (const g of out.gateways) {
    if (!enterprises.has(g.enterpriseId)) at(g, 'enterpriseId', `unknown enterprise ${g.enterpriseId}`);
  }

  // 2. templates
  for (const t of out.templates) {
    const flat = flattenTemplate(t.id, lookup);
    if ('problem' in flat) at(t, 'extends', flat.problem);
  }

  // 3. points
  const byEnterprise = new Map<string, Point[]>();
  for (const p of out.points)
    byEnterprise.set(p.enterpriseId, [...(byEnterprise.get(p.enterpriseId) ?? []), p]);
  for (const p of out.points) {
    const e = enterprises.get(p.enterpriseId);
    if (!e) {
      at(p, 'enterpriseId', `unknown enterprise ${p.enterpriseId}`);
      continue;
    }
    if (!gateways.has(`${p.enterpriseId}:${p.gatewayId}`))
      at(p, 'gatewayId', `unknown gateway ${p.gatewayId} of enterprise ${p.enterpriseId}`);
    if (!pointKindAllowed(p, e))
      at(
        p,
        'kind',
        `point kind ${p.kind} does not fit the industries of enterprise ${e.id} (${e.industries.join(', ')})`,
      );
    const { problems: resolveProblems } = resolveEffectivePoint(
      p,
      e,
      lookup,
      byEnterprise.get(p.enterpriseId),
    );
    for (const rp of resolveProblems) at(p, rp.path, rp.message);
  }

  // 4. voting groups: one kind per group, at least m members for every vote rule
  const groups = new Map<string, Point[]>();
  for (const p of out.points) {
    if (!p.votingGroup) continue;
    const key = `${p.enterpriseId}:${p.votingGroup}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const [key, members] of groups) {
    const kinds = [...new Set(members.map((m) => m.kind))];
    if (kinds.length > 1) {
      for (const m of members.slice(1).filter((x) => x.kind !== members[0]!.kind))
        at(
          m,
          'votingGroup',
          `voting group ${key} mixes point kinds (${kinds.join(', ')}); members must share one kind`,
        );
    }
    const e = enterprises.get(members[0]!.enterpriseId);
    if (!e) continue;
    const effective = resolveEffectivePoint(members[0]!, e, lookup, members).effective;
    for (const rule of effective?.rules ?? []) {
      if (rule.type === 'vote' && rule.m > members.length)
        at(
          members[0]!,
          'votingGroup',
          `voting group ${key} has ${members.length} members but rule ${rule.id} needs m=${rule.m}`,
        );
    }
  }

  // 5. subscriptions: scope codes well-formed, enterprise scopes known
  for (const s of out.subscriptions) {
    const { level, code } = s.scope;
    if (level === 'enterprise') {
      if (!enterprises.has(code)) at(s, 'scope.code', `unknown enterprise ${code}`);
    } else if (
      !SCOPE_CODE[level].test(code) ||
      (level === 'city' && code.endsWith('0000')) ||
      (level === 'county' && code.endsWith('00'))
    ) {
      at(s, 'scope.code', `${code} is not a ${level} administrative code`);
    }
  }

  // 6. policies: one policy per classification × level, steps in time order
  const covered = new Map<string, string>();
  for (const pol of out.policies) {
    for (const c of pol.classification as ClassCode[]) {
      for (const l of pol.levels) {
        const other = covered.get(`${c}${l}`);
        if (other) at(pol, 'classification', `class ${c} level ${l} is already covered by policy ${other}`);
        else covered.set(`${c}${l}`, pol.id);
      }
    }
    pol.steps.forEach((step, i) => {
      if (i > 0 && step.afterMs < pol.steps[i - 1]!.afterMs)
        at(pol, `steps.${i}.afterMs`, 'steps must be in time order');
    });
  }
  // 7. people and rosters: scopes well-formed and known, roster shifts name people holding the role
  const scopeProblem = (level: string, code: string): string | undefined => {
    if (level === 'enterprise') return enterprises.has(code) ? undefined : `unknown enterprise ${code}`;
    const re = SCOPE_CODE[level as keyof typeof SCOPE_CODE];
    return re.test(code) &&
      !(level === 'city' && code.endsWith('0000')) &&
      !(level === 'county' && code.endsWith('00'))
      ? undefined
      : `${code} is not a ${level} administrative code`;
  };
  const people = new Map(out.people.map((x) => [x.id, x]));
  for (const person of out.people) {
    const bad = scopeProblem(person.scope.level, person.scope.code);
    if (bad) at(person, 'scope.code', bad);
  }
  for (const roster of out.rosters) {
    const bad = scopeProblem(roster.scope.level, roster.scope.code);
    if (bad) at(roster, 'scope.code', bad);
    const onDuty = [
      ...roster.shifts.map((x, i) => ({ personId: x.personId, path: `shifts.${i}.personId` })),
      ...roster.overrides.map((x, i) => ({ personId: x.personId, path: `overrides.${i}.personId` })),
    ];
    for (const { personId, path } of onDuty) {
      const person = people.get(personId);
      if (!person) at(roster, path, `unknown person ${personId}`);
      else if (!person.roles.includes(roster.role))
        at(roster, path, `person ${personId} does not hold the role ${roster.role}`);
    }
  }
  // 8. platforms speak only for enterprises the registry knows (kafka-ingest checks each record)
  for (const platform of out.platforms) {
    platform.enterprises.forEach((e, i) => {
      if (!enterprises.has(e)) at(platform, `enterprises.${i}`, `unknown enterprise ${e}`);
    });
  }
  return { document: out, problems };
}
