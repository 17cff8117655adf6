import { describe, expect, it } from 'vitest';
import { toCsv } from '../web/src/lib/csv-export';
import { formatDateTime, formatDuration } from '../web/src/lib/shanghai-time';
import { SseParser } from '../web/src/lib/sse-reader';
import { visibleWindow } from '../web/src/lib/visible-window';

describe('SseParser', () => {
  it('yields complete events across chunk boundaries, keeps the last id, skips comments, reads retry', () => {
    const p = new SseParser();
    expect(p.push('retry: 2000\n: stream abc\n\nid: b-1\nevent: al')).toEqual([]);
    expect(
      p.push(
        'arm\ndata: {"a":1}\n\n: keep-alive\n\nevent: reload\r\ndata: {"reason":"unknown-stream"}\r\n\r\n',
      ),
    ).toEqual([
      { id: 'b-1', event: 'alarm', data: '{"a":1}' },
      { id: 'b-1', event: 'reload', data: '{"reason":"unknown-stream"}' },
    ]);
    expect(p.retryMs).toBe(2000);
    expect(p.push('data: one\ndata: two\n\n')).toEqual([{ id: 'b-1', event: 'message', data: 'one\ntwo' }]);
  });
});

describe('Asia/Shanghai times', () => {
  it('formats epoch ms in UTC+8 whatever the machine zone', () => {
    expect(formatDateTime(Date.UTC(2026, 11, 3, 18, 30, 5))).toBe('2026/12/04 02:30:05');
    expect(formatDuration(3 * 86_400_000 + 2 * 3_600_000)).toBe('3 天 2 小时');
    expect(formatDuration(65_000)).toBe('1 分 5 秒');
  });
});

describe('toCsv', () => {
  it('writes RFC 4180 with a UTF-8 BOM and quotes what needs quoting', () => {
    expect(
      toCsv(
        ['区划', '接入率'],
        [
          ['太原市', '95.00'],
          ['a,"b"', null],
        ],
      ),
    ).toBe('\uFEFF区划,接入率\r\n太原市,95.00\r\n"a,""b""",\r\n');
  });
});

describe('visibleWindow', () => {
  it('renders only the rows in view plus the overscan, at any scroll position of 5,000 rows', () => {
    expect(visibleWindow(0, 760, 38, 5000)).toEqual({ start: 0, end: 28 });
    expect(visibleWindow(38 * 4000, 760, 38, 5000)).toEqual({ start: 3992, end: 4028 });
    expect(visibleWindow(38 * 5000, 760, 38, 5000)).toEqual({ start: 4992, end: 5000 });
  });
});
