import { FUZZ_CLASSES, type FuzzClass, TRANSPORTS, type Transport } from './bad-input-cases';

/** What happened to one fuzz message. */
export interface Outcome {
  /** PUBACK received (MQTT), 202 (HTTP), produce acknowledged (Kafka). */
  acked?: boolean;
  /** HTTP status. */
  status?: number;
  /** HTTP response body (problem+json). */
  problem?: unknown;
  /** Transport failure (publish rejected, connection refused …). */
  error?: string;
  /** Reasons of its dead letters. */
  letters?: string[];
  /** Its readings found in QuestDB. */
  stored?: number;
}

interface Row {
  transport: Transport;
  cls: FuzzClass;
  valid: boolean;
  /** HTTP refused before reading (401, 415, over 2 MiB): no dead letter by design. */
  refusedUnread?: boolean;
  outcome: Outcome;
}

/**
 * The outcome table of a fuzz run as Markdown, one line per transport × class: messages sent (of
 * them valid), acknowledged (PUBACK / 202 / produce ack), HTTP 4xx and 5xx, dead-lettered messages
 * with their reasons, readings stored, and transport errors.
 */
export function outcomeTable(rows: readonly Row[]): string {
  const lines = [
    '| transport | class | sent | valid | acked | HTTP 4xx (of them refused unread) | HTTP 5xx | dead-lettered (by reason) | readings stored | errors |',
    '|---|---|---:|---:|---:|---:|---:|---|---:|---:|',
  ];
  const total = { sent: 0, valid: 0, acked: 0, c4: 0, unread: 0, c5: 0, dl: 0, stored: 0, errors: 0 };
  for (const transport of TRANSPORTS) {
    for (const cls of FUZZ_CLASSES) {
      const mine = rows.filter((r) => r.transport === transport && r.cls === cls);
      if (mine.length === 0) continue;
      const reasons = new Map<string, number>();
      let dl = 0;
      for (const r of mine) {
        const set = new Set(r.outcome.letters ?? []);
        if (set.size > 0) dl++;
        for (const reason of set) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      const n = {
        sent: mine.length,
        valid: mine.filter((r) => r.valid).length,
        acked: mine.filter((r) => r.outcome.acked).length,
        c4: mine.filter((r) => (r.outcome.status ?? 0) >= 400 && (r.outcome.status ?? 0) < 500).length,
        unread: mine.filter((r) => r.refusedUnread).length,
        c5: mine.filter((r) => (r.outcome.status ?? 0) >= 500).length,
        dl,
        stored: mine.reduce((s, r) => s + (r.outcome.stored ?? 0), 0),
        errors: mine.filter((r) => r.outcome.error).length,
      };
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += n[k];
      const byReason = [...reasons]
        .sort((a, b) => b[1] - a[1])
        .map(([r, c]) => `${r} ${c}`)
        .join(', ');
      const http = transport === 'http';
      lines.push(
        `| ${transport} | ${cls} | ${n.sent} | ${n.valid} | ${n.acked} | ${http ? `${n.c4}${n.unread ? ` (${n.unread})` : ''}` : '–'} | ${http ? n.c5 : '–'} | ${n.dl}${byReason ? ` (${byReason})` : ''} | ${n.stored} | ${n.errors} |`,
      );
    }
  }
  lines.push(
    `| **all** | | **${total.sent}** | **${total.valid}** | **${total.acked}** | **${total.c4}** (${total.unread}) | **${total.c5}** | **${total.dl}** | **${total.stored}** | **${total.errors}** |`,
  );
  return lines.join('\n');
}
