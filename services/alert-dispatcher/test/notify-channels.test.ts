import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALIYUN_CODES } from '../src/notify/channels/aliyun-gateway';
import { aliyunSignature, percentEncode } from '../src/notify/channels/aliyun-rpc-signature';
import { isRetryableCode } from '../src/notify/channels/channel-adapter';
import { DINGTALK_CODES, dingTalkSign, dingTalkUrl } from '../src/notify/channels/dingtalk-robot';
import { clipUtf8, WECOM_CODES, weComAdapter } from '../src/notify/channels/wecom-robot';
import { PARAM_MAX, renderNotice } from '../src/notify/notice-templates';
import { createAddressPolicy } from '../src/ssrf-guard';

/** Request signing of the providers, provider error codes and zh-CN texts: pure. */

describe('DingTalk robot signing', () => {
  it('sign = urlencode(base64(HmacSHA256(secret, timestamp + "\\n" + secret)))', () => {
    const secret = 'SEC0123456789abcdef0123456789abcdef';
    const ts = 1_733_300_000_000;
    const raw = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    expect(decodeURIComponent(dingTalkSign(secret, ts))).toBe(raw);
    expect(dingTalkSign(secret, ts)).not.toMatch(/[+/=]/); // base64's + / = are percent-encoded
    expect(
      dingTalkUrl({ webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret }, ts),
    ).toBe(
      `https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=${ts}&sign=${dingTalkSign(secret, ts)}`,
    );
    expect(dingTalkUrl({ webhookUrl: 'https://x/robot/send?access_token=t' }, ts)).toBe(
      'https://x/robot/send?access_token=t',
    );
  });
});

describe('Aliyun RPC signature', () => {
  it('reproduces the worked example of the Dysms signature documentation', () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(aliyunSignature('testSecret', 'GET', params)).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });
  it('percent-encodes as RFC 3986 (space %20, * %2A, ~ kept)', () => {
    expect(percentEncode("a b*~!'()")).toBe('a%20b%2A~%21%27%28%29');
  });
});

describe('provider error codes', () => {
  it.each([
    [ALIYUN_CODES, 'isv.BUSINESS_LIMIT_CONTROL', true],
    [ALIYUN_CODES, 'isp.SYSTEM_ERROR', true],
    [ALIYUN_CODES, 'isv.MOBILE_NUMBER_ILLEGAL', false],
    [ALIYUN_CODES, 'isv.TEMPLATE_MISSING_PARAMETERS', false],
    [DINGTALK_CODES, '130101', true],
    [DINGTALK_CODES, '310000', false],
    [WECOM_CODES, '45009', true],
    [WECOM_CODES, '93000', false],
  ])('%#: %s retryable = %s', (policy, code, retryable) => {
    expect(isRetryableCode(policy, code)).toBe(retryable);
  });
});

describe('zh-CN notice templates', () => {
  const facts = {
    alarm: {
      alarmId: '140105MD01:CO-01:co-h:1',
      point: 'CO-01',
      level: 1,
      value: 57.5,
      limit: 24,
      eventTime: Date.parse('2026-12-07T01:30:05Z'),
      emittedAt: Date.parse('2026-12-07T01:30:06Z'),
    },
    enterpriseName: '太原示例钢铁有限公司',
    pointName: '煤气柜区CO浓度',
    unit: 'ppm',
    consoleUrl: 'http://console/alarms/x',
    ackUrl: 'http://api/ack-links/t',
  };
  it.each([
    ['alarm.raised', '【一级（红色）报警】', '请立即核实'],
    ['alarm.escalated', '【一级（红色）报警升级】', '已逐级上报'],
    ['alarm.reminder', '【一级（红色）报警未确认提醒】', '仍未确认'],
    ['alarm.resolved', '【一级（红色）报警已恢复正常】', '已恢复正常'],
    ['loop.overdue', '【一级（红色）闭环处置超期】', '已超过规定时限'],
  ])('%s', (event, title, ask) => {
    const n = renderNotice({ ...facts, event });
    expect(n.title).toBe(`${title}太原示例钢铁有限公司 煤气柜区CO浓度`);
    for (const part of [
      '企业：太原示例钢铁有限公司',
      '点位：煤气柜区CO浓度',
      '监测值：57.5 ppm（限值 24 ppm）',
      '级别：一级（红色）',
      '时间：2026-12-07 09:30:05（北京时间）',
      ask,
      'http://console/alarms/x',
      'http://api/ack-links/t',
    ]) {
      expect(n.markdown).toContain(part);
      expect(n.text).toContain(part);
    }
    expect(n.params).toMatchObject({
      enterprise: '太原示例钢铁有限公司',
      value: '57.5 ppm',
      time: '2026-12-07 09:30:05',
    });
  });
  it('cuts provider variables to their limit and WeCom markdown to 4096 bytes', () => {
    const n = renderNotice({ ...facts, event: 'alarm.raised', enterpriseName: '很'.repeat(50) });
    expect(n.params.enterprise).toHaveLength(PARAM_MAX);
    expect(Buffer.byteLength(clipUtf8('报'.repeat(3000), 4096))).toBeLessThanOrEqual(4096);
  });
});

describe('robot URLs outside development', () => {
  it('a plain-http robot URL is refused before connecting, as a permanent failure', async () => {
    const out = await weComAdapter({ policy: createAddressPolicy(true), requireHttps: true }).send(
      { id: 'wc', kind: 'wecom', maxLevel: 4, webhookUrl: 'http://127.0.0.1:1/cgi-bin/webhook/send?key=k' },
      {
        event: 'alarm.raised',
        deliveryId: 'd',
        notice: { title: 't', markdown: 'm', text: 't', params: {} },
      },
      1000,
    );
    expect(out).toMatchObject({ kind: 'failed', retryable: false, httpStatus: null });
    expect(out.kind === 'failed' && out.error).toMatch(/plain http robot URL refused/);
  });
});
