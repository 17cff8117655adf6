import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRegistryDir } from '../src/load-registry-dir';

const brokenDir = fileURLToPath(new URL('./fixtures/broken', import.meta.url));
const validDir = fileURLToPath(new URL('./fixtures/valid', import.meta.url));

describe('loadRegistryDir on a broken registry', async () => {
  const { document, problems } = await loadRegistryDir(brokenDir);
  const find = (path: string, message: RegExp) =>
    problems.find((p) => p.path === path && message.test(p.message));

  it.each([
    ['enterprises.0.id', /does not start with its county code 140105/, '140106ST99'],
    ['enterprises.0.classification', /expected object/, '140106ST99'],
    ['points.1.code', /duplicate point code TT-01/, '140105MD01:TT-01'],
    ['points.2.limits.h', /must be above l/, '140105MD01:PDT-01'],
    ['points.3.kind', /Invalid option/, '140105MD01:XX-01'],
    ['points.4.kind', /does not fit the industries/, '140105MD01:CO-01'],
    ['points.5.gatewayId', /unknown gateway gw-09/, '140105MD01:FAN-01'],
    ['points.7.votingGroup', /mixes point kinds/, '140105MD01:VG-B'],
    ['points.8.rules.0.id', /unknown rule no-such-rule/, '140105MD01:OVR-01'],
    ['subscriptions.0.scope.code', /not a county administrative code/, 'sub-bad'],
  ])('reports %s (%s) for entity %s with its file', (path, message, entityId) => {
    const problem = find(path, message);
    expect(problem, JSON.stringify(problems, null, 1)).toBeDefined();
    expect(problem?.entityId).toBe(entityId);
    expect(problem?.file).toMatch(/broken\/plant\.yaml$/);
  });

  it('reports YAML syntax errors with their line and unknown sections', () => {
    expect(problems.some((p) => p.file.endsWith('garbage.yaml') && /^line \d+:\d+$/.test(p.path))).toBe(true);
    expect(problems.some((p) => p.file.endsWith('unknown-section.json') && p.path === 'enterprise')).toBe(
      true,
    );
  });

  it('keeps only the valid entities, the first of a duplicate winning', () => {
    expect(document.enterprises.map((e) => e.id)).toEqual(['140105MD01']);
    expect(document.points.filter((p) => p.code === 'TT-01')).toHaveLength(1);
    expect(document.points.find((p) => p.code === 'TT-01')?.name).toBe('灰斗温度');
  });
});

describe('loadRegistryDir on a valid registry', () => {
  it('loads entities from YAML and JSON files with zero problems', async () => {
    const { document, problems } = await loadRegistryDir(validDir);
    expect(problems).toEqual([]);
    expect(document.enterprises).toHaveLength(1);
    expect(document.points.map((p) => p.code).sort()).toEqual(['FAN-01', 'ZS-01', 'TT-01'].sort());
  });

  it('reports a missing directory instead of throwing', async () => {
    const { problems } = await loadRegistryDir(`${validDir}/does-not-exist`);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/cannot read registry directory/);
  });
});
