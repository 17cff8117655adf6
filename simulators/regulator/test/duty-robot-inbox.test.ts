import { createHmac } from 'node:crypto';
import { DUTY_ROBOT_BASE, fixturePeople } from '@yujing/fixtures';
import { Person } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { DutyRobotInbox } from '../src/duty-robot-inbox';

/** The demo's duty robots: DingTalk sign and WeCom key checked, the message read back for the terminal. */
const people = fixturePeople().map((p) => Person.parse(p));
const inbox = new DutyRobotInbox(people, DUTY_ROBOT_BASE);
const safety = people.find((p) => p.id === 'p-140108st01-safety');
const dt = safety?.channels[0];
if (dt?.kind !== 'dingtalk' || !dt.secret) throw new Error('fixture person without a signed DingTalk robot');
const alarmId = '140108ST01:CO-01:co-high:1';
const text = `### 报警\n- 级别：一级（红色）\n\n[在监测平台查看](http://console/alarms/${encodeURIComponent(alarmId)})`;
const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: '【一级（红色）报警】晋阳', text } });
const NOW = 1_800_000_000_000;
const signed = (ts: number, secret = dt.secret as string) =>
  `${new URL(dt.webhookUrl).pathname}${new URL(dt.webhookUrl).search}&timestamp=${ts}&sign=${encodeURIComponent(
    createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64'),
  )}`;

describe('duty robot inbox', () => {
  it('accepts a correctly signed DingTalk message and reads level, enterprise and point back', () => {
    const out = inbox.handle(signed(NOW), body, NOW);
    expect(out.body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(out.line).toMatchObject({
      outcome: 'accepted',
      subscriptionId: `钉钉 ${safety?.name}`,
      event: '报警',
      payload: { alarm: { alarmId, enterpriseId: '140108ST01', point: 'CO-01', level: 1 } },
    });
  });

  it('answers 310000 to a wrong sign or a stale timestamp, like DingTalk', () => {
    expect(inbox.handle(signed(NOW, 'SECwrong0123456789abcdef'), body, NOW).body).toMatchObject({
      errcode: 310000,
    });
    expect(inbox.handle(signed(NOW - 3_600_001), body, NOW).body).toMatchObject({ errcode: 310000 });
  });

  it('accepts a WeCom markdown message to a known key and refuses an unknown key with 93000', () => {
    const wc = JSON.stringify({ msgtype: 'markdown', markdown: { content: text } });
    expect(inbox.handle('/wecom/send?key=dev-jinyang-duty', wc, NOW).line.outcome).toBe('accepted');
    expect(inbox.handle('/wecom/send?key=nope', wc, NOW).body).toMatchObject({ errcode: 93000 });
  });
});
