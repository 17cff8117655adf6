import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * The import rules docs/architecture.md states, enforced (issue #18): no circular imports in
 * packages/ and services/; rules-core imports only @yujing/schemas (it is pure: no I/O, no
 * clients); a service never imports another service; a package never imports a service.
 */

interface SourceFile {
  /** Repository-relative path, e.g. services/rules-worker/src/app.ts. */
  path: string;
  /** `packages` or `services`, and the directory name under it. */
  area: 'packages' | 'services';
  dir: string;
  specifiers: string[];
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a TypeScript source imports or re-exports (static and literal dynamic imports). */
export function importSpecifiers(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...withoutComments.matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
}

async function sourceFiles(area: 'packages' | 'services'): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const dir of (await readdir(join(REPO_ROOT, area), { withFileTypes: true })).filter((d) =>
    d.isDirectory(),
  )) {
    for (const sub of ['src', 'test']) {
      const root = join(REPO_ROOT, area, dir.name, sub);
      const files = await readdir(root, { recursive: true }).catch(() => [] as string[]);
      for (const f of files) {
        if (!/\.(ts|tsx|mts)$/.test(f) || f.split(sep).includes('node_modules')) continue;
        const path = join(root, f);
        out.push({
          path: relative(REPO_ROOT, path),
          area,
          dir: dir.name,
          specifiers: importSpecifiers(await readFile(path, 'utf8')),
        });
      }
    }
  }
  return out;
}

/** Workspace package name → its directory, for packages/ and services/. */
async function workspaceNames(area: 'packages' | 'services'): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const dir of await readdir(join(REPO_ROOT, area))) {
    const manifest = await readFile(join(REPO_ROOT, area, dir, 'package.json'), 'utf8').catch(
      () => undefined,
    );
    if (manifest) names.set((JSON.parse(manifest) as { name: string }).name, dir);
  }
  return names;
}

/** The package or service directory a specifier points into (workspace name or relative path), if any. */
function target(
  file: SourceFile,
  specifier: string,
  workspaces: Map<string, { area: string; dir: string }>,
): { area: string; dir: string } | undefined {
  if (specifier.startsWith('.')) {
    const abs = resolve(REPO_ROOT, file.path, '..', specifier);
    const [area, dir] = relative(REPO_ROOT, abs).split(sep);
    return area === 'packages' || area === 'services' ? { area, dir: dir ?? '' } : undefined;
  }
  const name = specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
  return workspaces.get(name);
}

describe('import rules (docs/architecture.md)', async () => {
  const files = [...(await sourceFiles('packages')), ...(await sourceFiles('services'))];
  const workspaces = new Map<string, { area: string; dir: string }>();
  for (const area of ['packages', 'services'] as const)
    for (const [name, dir] of await workspaceNames(area)) workspaces.set(name, { area, dir });

  it('finds the sources and their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(
      importSpecifiers("import { a } from './a';\nexport * from '@yujing/b';\nawait import('c');"),
    ).toEqual(['./a', '@yujing/b', 'c']);
    expect(
      importSpecifiers("import type {\n  A,\n  B,\n} from 'multi-line';\nimport 'side-effect';"),
    ).toEqual(['multi-line', 'side-effect']);
  });

  it('rules-core (src) imports only @yujing/schemas, besides its own modules', () => {
    const bad = files
      .filter((f) => f.area === 'packages' && f.dir === 'rules-core' && f.path.includes(`${sep}src${sep}`))
      .flatMap((f) =>
        f.specifiers
          .filter((s) => {
            if (!s.startsWith('.')) return s !== '@yujing/schemas';
            const t = target(f, s, workspaces);
            return t !== undefined && !(t.area === 'packages' && t.dir === 'rules-core');
          })
          .map((s) => `${f.path} imports ${s}`),
      );
    expect(bad).toEqual([]);
  });

  it('no service imports another service, and no package imports a service', () => {
    const bad = files.flatMap((f) =>
      f.specifiers
        .filter((s) => {
          const t = target(f, s, workspaces);
          if (t?.area !== 'services') return false;
          return f.area === 'packages' || t.dir !== f.dir;
        })
        .map((s) => `${f.path} imports ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('has no circular imports in packages/ and services/ (madge, as pnpm run check:circular)', async () => {
    const result = await madge(
      ['packages', 'services'].map((d) => join(REPO_ROOT, d)),
      {
        fileExtensions: ['ts'],
        excludeRegExp: [/node_modules/, /\.d\.ts$/],
        tsConfig: { compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } },
      },
    );
    expect(result.circular().map((cycle) => cycle.join(' > '))).toEqual([]);
  }, 60_000);
});
