import { describe, expect, it } from 'vitest';
import { nativeAdapter } from '../src/native-adapter';

const rec = (key: string | null, headers: Record<string, string> = {}) => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from('{}'),
  headers,
});

describe('nativeAdapter', () => {
  it.each([
    ['no format header', {}, true],
    ['native-v1', { 'yj-format': 'native-v1' }, true],
    ['another format', { 'yj-format': 'sm4-dust' }, false],
  ])('canDecode with %s → %s', (_n, headers, expected) => {
    expect(nativeAdapter.canDecode(rec('140105MD01', headers))).toBe(expected);
  });

  it('the enterprise header wins over the key', () => {
    expect(nativeAdapter.decode(rec('140106MD01', { 'yj-enterprise-id': '140105MD01' }))).toMatchObject({
      enterpriseId: '140105MD01',
    });
    expect(nativeAdapter.decode(rec('140106MD01'))).toMatchObject({ enterpriseId: '140106MD01' });
  });

  it.each([[null], ['gw-01'], ['']])('key %s without header → unknown-enterprise rejection', (key) => {
    const d = nativeAdapter.decode(rec(key));
    expect('rejection' in d && d.rejection.reason).toBe('unknown-enterprise');
  });
});
