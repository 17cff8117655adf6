import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/commands/sse-parser';

describe('SseParser', () => {
  it('parses events split across chunks, skips comments and keeps the last id', () => {
    const p = new SseParser();
    expect(p.feed('retry: 2000\n: stream boot-1\n\nid: b-1\nevent: al')).toEqual([]);
    expect(
      p.feed('arm\ndata: {"a":1}\n\n: keep-alive\n\nid: b-2\r\nevent: alarm\r\ndata: {"a":2}\r\n\r\n'),
    ).toEqual([
      { id: 'b-1', event: 'alarm', data: '{"a":1}' },
      { id: 'b-2', event: 'alarm', data: '{"a":2}' },
    ]);
    expect(p.lastEventId).toBe('b-2');
    expect(p.retryMs).toBe(2000);
  });

  it('joins multi-line data and defaults the event name to "message"', () => {
    expect(new SseParser().feed('data: one\ndata:two\n\n')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('emits nothing for a block without data, and nothing before the blank line', () => {
    const p = new SseParser();
    expect(p.feed('event: reload\n\n')).toEqual([]);
    expect(p.feed('event: reload\ndata: {}\n')).toEqual([]);
    expect(p.feed('\n')).toEqual([{ event: 'reload', data: '{}' }]);
  });
});
