import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../packages/kafka/src/topic-catalogue';
import {
  ASYNCAPI_FILE,
  contractArtifacts,
  OPENAPI_FILE,
  REGENERATE_CONTRACTS,
} from '../../scripts/contract-artifacts';
import { REPO_ROOT, staleContractFiles } from '../../scripts/generate-docs';

const committed = (path: string) => readFile(join(REPO_ROOT, path), 'utf8').catch(() => '(missing)');

interface AsyncApiChannel {
  address: string;
  messages?: Record<string, { payload?: Record<string, unknown> }>;
}

describe('schemas/ (OpenAPI, AsyncAPI and JSON Schema generated from the code)', async () => {
  const artifacts = await contractArtifacts();

  it.each(Object.keys(artifacts))('%s matches what the code generates', async (path) => {
    expect(await committed(path), `${path} drifted: ${REGENERATE_CONTRACTS}`).toBe(artifacts[path]);
  });

  it('holds no file the generator no longer writes', async () => {
    expect(await staleContractFiles(artifacts), REGENERATE_CONTRACTS).toEqual([]);
  });

  it('the committed AsyncAPI document has a channel with a payload for every topic of the catalogue', async () => {
    const doc = JSON.parse(await committed(ASYNCAPI_FILE)) as {
      channels: Record<string, AsyncApiChannel>;
      operations: Record<string, { channel: { $ref: string } }>;
    };
    const channels = Object.values(doc.channels);
    for (const topic of Object.values(TOPICS)) {
      const channel = channels.find((c) => c.address === topic.name);
      expect(channel, `no AsyncAPI channel for ${topic.name}: ${REGENERATE_CONTRACTS}`).toBeDefined();
      const messages = Object.values(channel?.messages ?? {});
      expect(messages.length, topic.name).toBeGreaterThan(0);
      for (const m of messages) expect(m.payload, topic.name).toBeDefined();
    }
    // Every channel is used by an operation, and every operation names an existing channel.
    const used = new Set(Object.values(doc.operations).map((o) => o.channel.$ref.replace('#/channels/', '')));
    expect([...used].sort()).toEqual(Object.keys(doc.channels).sort());
  });

  it('every $ref of the AsyncAPI document names a generated JSON Schema file', () => {
    const refs = [...artifacts[ASYNCAPI_FILE]!.matchAll(/"\$ref": "\.\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const file of refs) expect(artifacts[`schemas/${file}`], file).toBeDefined();
  });

  it('the OpenAPI document is 3.1 and has the API routes', () => {
    const doc = JSON.parse(artifacts[OPENAPI_FILE]!) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/alarms');
  });
});
