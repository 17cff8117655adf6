import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { type RegistryDocument, RegistryEntityKind } from '@yujing/schemas';
import { parseDocument } from 'yaml';
import { DOCUMENT_SECTION, ENTITY_SCHEMAS, entityId, type RegistryEntity } from './entity-key';
import { type EntitySource, type RegistryProblem, validateRegistry } from './validate-registry';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SECTIONS = new Set<string>(Object.values(DOCUMENT_SECTION));

/** The entity id of raw (maybe invalid) input, for messages. */
function rawEntityId(kind: RegistryEntityKind, raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (kind === 'point') return r.enterpriseId && r.code ? `${r.enterpriseId}:${r.code}` : undefined;
  if (kind === 'gateway') return r.enterpriseId && r.id ? `${r.enterpriseId}:${r.id}` : undefined;
  return typeof r.id === 'string' ? r.id : undefined;
}

/** Parses one file's text; YAML errors carry their line and column. */
function parseFile(file: string, text: string, problems: RegistryProblem[]): unknown {
  if (extname(file) === '.json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      problems.push({ file, path: '(root)', message: `invalid JSON: ${(err as Error).message}` });
      return undefined;
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const at = e.linePos?.[0];
      problems.push({
        file,
        path: at ? `line ${at.line}:${at.col}` : '(root)',
        message: `invalid YAML: ${e.message.split('\n')[0]}`,
      });
    }
    return undefined;
  }
  return doc.toJS();
}

/** Validates one file's entities section by section; valid ones are added to the document. */
function collectFile(
  file: string,
  content: unknown,
  doc: RegistryDocument,
  sources: Map<RegistryEntity, EntitySource>,
  problems: RegistryProblem[],
) {
  if (content === null || content === undefined) return; // an empty file holds nothing
  if (typeof content !== 'object' || Array.isArray(content)) {
    problems.push({
      file,
      path: '(root)',
      message: `expected a mapping of sections (${[...SECTIONS].join(', ')})`,
    });
    return;
  }
  for (const section of Object.keys(content)) {
    if (!SECTIONS.has(section)) {
      problems.push({
        file,
        path: section,
        message: `unknown section "${section}"; expected one of ${[...SECTIONS].join(', ')}`,
      });
    }
  }
  for (const kind of RegistryEntityKind.options) {
    const section = DOCUMENT_SECTION[kind];
    const items = (content as Record<string, unknown>)[section];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) {
      problems.push({ file, path: section, message: `section ${section} must be a list` });
      continue;
    }
    items.forEach((raw, index) => {
      const parsed = ENTITY_SCHEMAS[kind].safeParse(raw);
      if (!parsed.success) {
        const id = rawEntityId(kind, raw);
        for (const issue of parsed.error.issues) {
          problems.push({
            file,
            ...(id ? { entityId: id } : {}),
            path: [section, index, ...issue.path.map(String)].join('.'),
            message: issue.message,
          });
        }
        return;
      }
      (doc[section] as RegistryEntity[]).push(parsed.data);
      sources.set(parsed.data, {
        file,
        path: `${section}.${index}`,
        id: entityId(kind, parsed.data as never),
      });
    });
  }
}

/**
 * Loads every `.yaml`/`.yml`/`.json` file under `dir` (recursively, sorted by path); a file may
 * hold any mix of sections (enterprises, gateways, points, templates, policies, subscriptions,
 * people, rosters).
 * Each entity is validated on its own, then the whole registry is cross-checked. Problems name
 * the file, the entity id and the field path; the document holds only the valid entities.
 */
export async function loadRegistryDir(
  dir: string,
): Promise<{ document: RegistryDocument; problems: RegistryProblem[] }> {
  const problems: RegistryProblem[] = [];
  const document: RegistryDocument = {
    enterprises: [],
    gateways: [],
    points: [],
    templates: [],
    policies: [],
    subscriptions: [],
    platforms: [],
    people: [],
    rosters: [],
  };
  let files: string[];
  try {
    files = (await readdir(dir, { recursive: true }))
      .filter((f) => EXTENSIONS.has(extname(f)))
      .sort()
      .map((f) => join(dir, f));
  } catch (err) {
    problems.push({
      file: dir,
      path: '(root)',
      message: `cannot read registry directory: ${(err as Error).message}`,
    });
    return { document, problems };
  }
  if (files.length === 0)
    problems.push({ file: dir, path: '(root)', message: 'no .yaml, .yml or .json registry files' });
  const sources = new Map<RegistryEntity, EntitySource>();
  for (const file of files) {
    const content = parseFile(file, await readFile(file, 'utf8'), problems);
    collectFile(file, content, document, sources, problems);
  }
  const checked = validateRegistry(document, (e) => sources.get(e));
  problems.push(...checked.problems);
  // Grouped by file (stable: within a file, entity problems first, then cross-entity ones).
  problems.sort((a, b) => a.file.localeCompare(b.file));
  return { document: checked.document, problems };
}
