import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mintToken } from '@yujing/cli';
import { fixturesRegistryDir } from '@yujing/fixtures';
import { TypedProducer, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { queueName } from '@yujing/queues';
import { loadRegistryDir, publishRegistry } from '@yujing/registry';
import { DeliveryInbox, type DeliveryRecordLine, RegulatorServer } from '@yujing/regulator-simulator';
import { AlarmTransitionEvent, type ReadingBatch } from '@yujing/schemas';
import {
  createQuestDbTablePrefix,
  createTestTopics,
  obliterateQueue,
  serviceEnv,
  type TestTopics,
  TopicCollector,
  waitFor,
} from '@yujing/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  type RunningService,
  type ServiceSpec,
  startServices,
  stopServices,
} from '../../../test/e2e/support/service-processes';
import { type ConsoleFleet, consoleFleet } from './browser-fleet';
import { buildConsoleAssets, launchChromium, REPO_ROOT } from './console-browser';

/**
 * The console in real headless Chromium against the real services (store-writer, rules-worker,
 * alert-dispatcher, operator-api, console) on the shared stack, with this run's own topics,
 * tables, queues and renamed enterprises. CO readings are produced to yj.readings.v1 as
 * gateway-ingest would after accepting them; everything after that is the real pipeline.
 */
const logger = createLogger({ service: 'console-browser-test', level: 'warn' });
const suffix = randomBytes(4).toString('hex');
const JWT_SECRET = `console-jwt-secret-${suffix}-0123456789abcdef`;
const LOOP_WAIT_MS = 60_000;

let topics: TestTopics;
let tables: ReturnType<typeof createQuestDbTablePrefix>;
let fleet: ConsoleFleet;
let services: RunningService[] = [];
let regulator: RegulatorServer | undefined;
let alarmsTopic: TopicCollector | undefined;
let producer: TypedProducer | undefined;
let browser: Browser | undefined;
let consoleUrl = '';
let apiSpec: ServiceSpec;
let common: Record<string, string>;
const deliveries: DeliveryRecordLine[] = [];
const contexts: BrowserContext[] = [];
let seq = 0;

const transitions = () =>
  (alarmsTopic?.json<unknown>() ?? []).flatMap((v) => {
    const r = AlarmTransitionEvent.safeParse(v);
    return r.success ? [r.data] : [];
  });

/** CO readings of one point as a gateway batch on yj.readings.v1 (ts spaced one sampling period apart, ending now). */
async function sendCo(enterpriseId: string, point: string, values: number[]): Promise<void> {
  const end = Date.now();
  for (const [i, v] of values.entries()) {
    const ts = end - (values.length - 1 - i) * 10_000;
    seq += 1;
    const batch: ReadingBatch = {
      v: 1,
      enterpriseId,
      gatewayId: 'gw-01',
      seq,
      source: 'simulator',
      sentAt: ts,
      receivedAt: Date.now(),
      readings: [{ point, kind: 'co-concentration', ts, v, q: 'good' }],
    };
    await producer!.send('readings', [{ key: enterpriseId, value: batch }]);
  }
}

/** The first raise of a point's threshold/rate alarm in this run. */
async function raisedAlarm(enterpriseId: string, point: string): Promise<AlarmTransitionEvent> {
  return waitFor(
    () =>
      transitions().find(
        (t) => t.enterpriseId === enterpriseId && t.point === point && t.transition === 'raise',
      ),
    { timeoutMs: 60_000, intervalMs: 250, message: `no alarm raised for ${enterpriseId}/${point}` },
  );
}

async function signedInPage(persona: string): Promise<Page> {
  const context = await browser!.newContext({
    viewport: { width: 1500, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Europe/London',
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(consoleUrl);
  await page.locator(`[data-persona="${persona}"]`).click();
  await page.locator('[data-testid="stream-status"][data-status="live"]').waitFor({ timeout: 30_000 });
  await page.locator('.board[data-loaded="true"]').waitFor({ timeout: 30_000 });
  return page;
}

const row = (page: Page, alarmId: string) => page.locator(`.tr[data-alarm-id="${alarmId}"]`);

/** Selects the alarm on the board and runs one action from the side panel; returns the result line. */
async function act(page: Page, alarmId: string, action: string, comment?: string): Promise<string> {
  await row(page, alarmId).click();
  const panel = page.locator('[data-testid="selected-alarm"]');
  if (comment !== undefined) await panel.locator('[data-testid="action-comment"]').fill(comment);
  await panel.locator(`button[data-action="${action}"]`).click();
  const result = panel.locator('[data-testid="action-result"]');
  await result.waitFor({ timeout: 20_000 });
  return (await result.textContent()) ?? '';
}

beforeAll(async () => {
  const env = serviceEnv();
  await buildConsoleAssets();
  topics = await createTestTopics({ partitions: 2, label: 'console' });
  tables = createQuestDbTablePrefix('console');
  const hookPort = await freePort();
  const { document: base } = await loadRegistryDir(fixturesRegistryDir);
  fleet = consoleFleet(base, {
    suffix,
    webhookBaseUrl: `http://127.0.0.1:${hookPort}`,
    webhookSecret: `whsec_console_${suffix}_0123456789`,
  });
  regulator = new RegulatorServer({
    inbox: new DeliveryInbox({ subscriptions: fleet.document.subscriptions }),
    logger,
    onRecord: (r) => deliveries.push(r),
  });
  await regulator.listen([{ host: '127.0.0.1', port: hookPort }]);
  producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  await publishRegistry(producer, fleet.document, { changedBy: 'console-browser-test' });
  alarmsTopic = await new TopicCollector(topics.kafka, topicName('alarms', topics.prefix)).start();
  // The gateways that will send readings say they are online, as gateway-ingest does on a first message.
  for (const enterpriseId of [fleet.taiyuan, fleet.changzhi])
    await producer.send('gatewayEvents', [
      {
        key: enterpriseId,
        value: {
          enterpriseId,
          gatewayId: 'gw-01',
          type: 'online',
          reason: 'first-message',
          at: Date.now() - 60_000,
        },
      },
    ]);

  const run = `console-${suffix}`;
  const apiPort = await freePort();
  apiSpec = { name: 'operator-api', portVar: 'PORT', port: apiPort, env: { CONSUMER_GROUP: `${run}-api` } };
  common = {
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    TOPIC_PREFIX: topics.prefix,
    QDB_TABLE_PREFIX: tables.prefix,
    QUEUE_PREFIX: topics.prefix,
    QUESTDB_PG: env.questdbPg,
    QUESTDB_HTTP: env.questdbHttp,
    REDIS_URL: env.redisUrl,
    JWT_SECRET,
    ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
    LOG_LEVEL: 'info',
  };
  services = await startServices(
    [
      { name: 'store-writer', portVar: 'OPS_PORT', env: { CONSUMER_GROUP: `${run}-store` } },
      {
        name: 'rules-worker',
        portVar: 'OPS_PORT',
        env: { GROUP_ID: `${run}-rules`, CLIENT_ID: `${run}-rules` },
      },
      { name: 'alert-dispatcher', portVar: 'OPS_PORT', env: { KAFKA_GROUP_ID: `${run}-dispatch` } },
      apiSpec,
      {
        name: 'console',
        portVar: 'PORT',
        env: {
          OPERATOR_API_URL: `http://127.0.0.1:${apiPort}`,
          CONSOLE_DEV_SIGN_IN: 'true',
          NODE_ENV: 'development',
          CONSOLE_DEV_ENTERPRISE_ID: fleet.taiyuan,
        },
      },
    ],
    common,
    `${REPO_ROOT}/.run/console-${suffix}`,
  );
  consoleUrl = `http://127.0.0.1:${services.find((s) => s.name === 'console')!.port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await stopServices(services);
  await alarmsTopic?.stop().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  await regulator?.close();
  for (const q of ['escalation', 'deliveries'] as const)
    await obliterateQueue(queueName(q, topics.prefix)).catch(() => undefined);
  await tables?.cleanup().catch(() => undefined);
  await topics?.cleanup();
});

describe('console in Chromium against the real services', () => {
  let coAlarm: AlarmTransitionEvent;

  it('an operator signs in, sees a simulated CO alarm appear live, acknowledges it, and the board shows the new state', async () => {
    const page = await signedInPage('operator');
    await expect(page.locator('[data-testid="who"]').textContent()).resolves.toContain('山西省');
    await sendCo(fleet.taiyuan, 'CO-BF1-R01-A', [12, 14, 230, 240]);
    coAlarm = await raisedAlarm(fleet.taiyuan, 'CO-BF1-R01-A');
    const r = row(page, coAlarm.alarmId);
    await r.waitFor({ timeout: 30_000 });
    await expect(r.getAttribute('data-state')).resolves.toBe('active-unack');
    if (transitions().some((t) => t.alarmId === coAlarm.alarmId && t.level === 1))
      await page.locator('[data-testid="level1-cue"]').waitFor({ timeout: 10_000 });
    expect(
      Number(await page.locator(`[data-testid="count-${coAlarm.level}"]`).textContent()),
    ).toBeGreaterThan(0);

    const result = await act(page, coAlarm.alarmId, 'ack');
    expect(result).toContain('确认成功');
    await page
      .locator(`.tr[data-alarm-id="${coAlarm.alarmId}"][data-state="active-ack"]`)
      .waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid="selected-state"]').textContent()).resolves.toBe('报警已确认');
    await mkdir(join(REPO_ROOT, 'docs/images'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'docs/images/console-board.png') });
  });

  it('shelves with a reason and a bounded duration (the API’s validation error shown without one), then unshelves', async () => {
    const rise = await waitFor(
      () =>
        transitions().find(
          (t) =>
            t.point === 'CO-BF1-R01-A' && t.enterpriseId === fleet.taiyuan && t.alarmId !== coAlarm.alarmId,
        ),
      { timeoutMs: 30_000, message: 'no second alarm (rate of rise) on CO-BF1-R01-A' },
    );
    const page = await signedInPage('operator');
    await row(page, rise.alarmId).waitFor({ timeout: 30_000 });
    const refused = await act(page, rise.alarmId, 'shelve');
    expect(refused).toContain('请求有误');
    expect(refused).toContain('reason');
    const panel = page.locator('[data-testid="selected-alarm"]');
    await panel.locator('[data-testid="shelve-reason"]').fill('检修期间传感器标定');
    await panel.locator('[data-testid="shelve-duration"]').selectOption(String(8 * 3_600_000));
    await panel.locator('button[data-action="shelve"]').click();
    await page
      .locator(`.tr[data-alarm-id="${rise.alarmId}"][data-state="shelved"]`)
      .waitFor({ timeout: 20_000 });
    const shelved = transitions().find((t) => t.alarmId === rise.alarmId && t.transition === 'shelve');
    expect(shelved?.shelvedUntil).toBeGreaterThan(Date.now() + 7 * 3_600_000);
    expect(await act(page, rise.alarmId, 'unshelve')).toContain('取消搁置成功');
    await waitFor(async () => (await row(page, rise.alarmId).getAttribute('data-state')) !== 'shelved', {
      timeoutMs: 20_000,
      message: 'the row stayed shelved after unshelve',
    });
  });

  it('a city regulator of 太原 sees 太原 alarms and no alarm of 长治', async () => {
    await sendCo(fleet.changzhi, 'CO-BF1-R01-A', [12, 15, 250, 260]);
    const other = await raisedAlarm(fleet.changzhi, 'CO-BF1-R01-A');
    const operator = await signedInPage('operator');
    await row(operator, other.alarmId).waitFor({ timeout: 30_000 });

    const page = await signedInPage('city-regulator');
    await row(page, coAlarm.alarmId).waitFor({ timeout: 30_000 });
    const shown = await page
      .locator('.tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-enterprise')));
    const total = Number(await page.locator('[data-testid="alarm-rows"]').getAttribute('data-total'));
    expect(shown.length).toBe(total);
    expect(shown).not.toContain(fleet.changzhi);
    expect(await row(page, other.alarmId).count()).toBe(0);
    // The API refuses the other city's alarm page too, and the console shows why.
    await page.goto(`${consoleUrl}#/alarm/${encodeURIComponent(other.alarmId)}`);
    await expect(page.locator('[role="alert"]').first().textContent()).resolves.toMatch(/无权|未找到/);
  });

  it('verify → dispose → feedback → close, with a wrong-order step answered by the API’s error', async () => {
    const page = await signedInPage('operator');
    await row(page, coAlarm.alarmId).waitFor({ timeout: 30_000 });
    // 处置 before 核实: the rules-worker refuses it and the console shows the API's problem detail.
    const wrong = await act(page, coAlarm.alarmId, 'dispose', '先处置');
    expect(wrong).toMatch(/当前状态不允许此操作|操作被拒绝/);
    expect(wrong).toMatch(/YJ_ERR_/);
    await expect(row(page, coAlarm.alarmId).getAttribute('data-loop')).resolves.toBe('open');

    expect(await act(page, coAlarm.alarmId, 'verify', '现场核实：1号高炉01号房间 CO 超标')).toContain(
      '核实成功',
    );
    await page
      .locator(`.tr[data-alarm-id="${coAlarm.alarmId}"][data-loop="verified"]`)
      .waitFor({ timeout: LOOP_WAIT_MS });
    expect(await act(page, coAlarm.alarmId, 'dispose', '已疏散人员并关闭阀门')).toContain('处置成功');
    await page
      .locator(`.tr[data-alarm-id="${coAlarm.alarmId}"][data-loop="disposed"]`)
      .waitFor({ timeout: LOOP_WAIT_MS });
    expect(await act(page, coAlarm.alarmId, 'feedback', '检修完成，复测 CO 8 ppm')).toContain('反馈成功');
    await page
      .locator(`.tr[data-alarm-id="${coAlarm.alarmId}"][data-loop="fed-back"]`)
      .waitFor({ timeout: LOOP_WAIT_MS });

    const regulatorPage = await signedInPage('city-regulator');
    await row(regulatorPage, coAlarm.alarmId).waitFor({ timeout: 30_000 });
    expect(await act(regulatorPage, coAlarm.alarmId, 'close', '同意销号')).toContain('销号成功');
    await regulatorPage
      .locator(`.tr[data-alarm-id="${coAlarm.alarmId}"][data-loop="closed"]`)
      .waitFor({ timeout: LOOP_WAIT_MS });

    // The detail page: chart with limits, the timeline with the steps and the webhook receipts.
    await waitFor(
      () => deliveries.some((d) => d.payload?.alarm.alarmId === coAlarm.alarmId && d.outcome === 'accepted'),
      {
        timeoutMs: 30_000,
        message: 'no webhook delivery of the CO alarm reached the regulator receiver',
      },
    );
    await page.goto(`${consoleUrl}#/alarm/${encodeURIComponent(coAlarm.alarmId)}`);
    await page.locator('[data-testid="readings-chart"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="limit-高高限 HH"]').waitFor();
    await page.locator('[data-testid="timeline-delivery"]').first().waitFor({ timeout: 20_000 });
    const timeline = (await page.locator('[data-testid="timeline"]').textContent()) ?? '';
    for (const word of ['报警产生', '确认', '核实', '处置', '反馈', '销号']) expect(timeline).toContain(word);
    await page.screenshot({ path: join(REPO_ROOT, 'docs/images/console-alarm-detail.png'), fullPage: true });
  });

  it('reports 接入率/在线率 by province → city → county with a CSV download, and the enterprise page, each in scope', async () => {
    const page = await signedInPage('operator');
    await page.goto(`${consoleUrl}#/reports`);
    const table = page.locator('[data-testid="connectivity-table"]');
    await table.waitFor({ timeout: 20_000 });
    await expect(table.textContent()).resolves.toMatch(/山西省[\s\S]*太原市[\s\S]*尖草坪区[\s\S]*长治市/);
    await page.locator('[data-testid="kpi-table"]').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="csv-download"]').click(),
    ]);
    const csv = await readFile((await download.path()) as string, 'utf8');
    expect(csv).toMatch(/^\uFEFF层级,区划代码,区划名称,企业数,应接入,已接入,接入率,网关数,在线率\r\n/);
    expect(csv).toContain('市,140100,太原市,1,');
    await page.screenshot({ path: join(REPO_ROOT, 'docs/images/console-reports.png'), fullPage: true });

    await page.goto(`${consoleUrl}#/enterprise/${encodeURIComponent(fleet.taiyuan)}`);
    await page.locator('[data-testid="point-freshness"]').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid="point-freshness"]').textContent()).resolves.toContain(
      'CO-BF1-R01-A',
    );
    await expect(page.locator('[data-testid="gateway-status"]').textContent()).resolves.toContain('gw-01');

    const regulator = await signedInPage('city-regulator');
    await regulator.goto(`${consoleUrl}#/reports`);
    await regulator.locator('[data-testid="connectivity-table"]').waitFor({ timeout: 20_000 });
    await expect(
      regulator.locator('[data-testid="connectivity-table"]').textContent(),
    ).resolves.not.toContain('长治市');
    await regulator.goto(`${consoleUrl}#/enterprises`);
    await regulator
      .locator(`[data-testid="enterprise-list"] a[href="#/enterprise/${fleet.taiyuan}"]`)
      .waitFor();
    expect(
      await regulator
        .locator(`[data-testid="enterprise-list"] a[href="#/enterprise/${fleet.changzhi}"]`)
        .count(),
    ).toBe(0);
  });

  it('an expired token lands on the sign-in page with a clear message', async () => {
    const context = await browser!.newContext({ locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(consoleUrl);
    const expired = await mintToken(
      { role: 'operator', scope: 'province:140000', ttl: '1m' },
      JWT_SECRET,
      Date.now() - 5 * 60_000,
    );
    await page.locator('[data-testid="token-input"]').fill(expired);
    await page.locator('[data-testid="token-submit"]').click();
    await expect(page.locator('[data-testid="sign-in-notice"]').textContent()).resolves.toContain(
      '登录已过期',
    );

    // A token that expires during the session: the board, then back to sign-in with the reason.
    const expiring = await mintToken(
      { role: 'operator', scope: 'province:140000', ttl: '1m' },
      JWT_SECRET,
      Date.now() - 50_000,
    );
    await page.locator('[data-testid="token-input"]').fill(expiring);
    await page.locator('[data-testid="token-submit"]').click();
    await page.locator('[data-testid="alarm-rows"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="sign-in-notice"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-testid="sign-in-notice"]').textContent()).resolves.toMatch(
      /登录已(过期|失效)/,
    );
  });

  it('after operator-api restarts, the stream reconnects with Last-Event-ID and the board has every alarm exactly once', async () => {
    const page = await signedInPage('operator');
    await row(page, coAlarm.alarmId).waitFor({ timeout: 30_000 });
    // One alarm arrives live first, so the page holds a stream position to resume from.
    await sendCo(fleet.taiyuan, 'CO-COKE-R03-A', [11, 12, 280, 290]);
    const before = await raisedAlarm(fleet.taiyuan, 'CO-COKE-R03-A');
    await row(page, before.alarmId).waitFor({ timeout: 30_000 });
    const requests: (string | undefined)[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/api/v1/stream/alarms')) requests.push(req.headers()['last-event-id']);
    });
    const api = services.find((s) => s.name === 'operator-api')!;
    await stopServices([api]);
    await page
      .locator('[data-testid="stream-status"][data-status="reconnecting"]')
      .waitFor({ timeout: 20_000 });
    // Raised while the API is down: the board must get it once the API is back.
    await sendCo(fleet.taiyuan, 'CO-BF2-R02-A', [10, 13, 300, 320]);
    const during = await raisedAlarm(fleet.taiyuan, 'CO-BF2-R02-A');
    const [restarted] = await startServices([apiSpec], common, `${REPO_ROOT}/.run/console-${suffix}`);
    services = services.map((s) => (s.name === 'operator-api' ? restarted! : s));
    await page.locator('[data-testid="stream-status"][data-status="live"]').waitFor({ timeout: 30_000 });
    await row(page, during.alarmId).waitFor({ timeout: 30_000 });
    expect(requests.some((id) => id !== undefined && id.length > 0)).toBe(true);

    // A transition after the restart arrives live too.
    expect(await act(page, during.alarmId, 'ack')).toContain('确认成功');
    await page
      .locator(`.tr[data-alarm-id="${during.alarmId}"][data-state="active-ack"]`)
      .waitFor({ timeout: 20_000 });

    // Every alarm of this run is on the board exactly once (alarms keep coming, e.g. no-data, so compare until equal).
    const boardIds = () =>
      page.locator('.tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alarm-id')));
    const expected = () => [...new Set(transitions().map((t) => t.alarmId))].sort();
    await waitFor(async () => JSON.stringify([...(await boardIds())].sort()) === JSON.stringify(expected()), {
      timeoutMs: 20_000,
      message: 'the board does not hold exactly the alarms of yj.alarms.v1',
    }).catch(async (err) => {
      throw new Error(
        `${(err as Error).message}\nboard: ${(await boardIds()).join(', ')}\nkafka: ${expected().join(', ')}`,
      );
    });
    const onBoard = await boardIds();
    expect(onBoard.length).toBe(new Set(onBoard).size);
  });

  it('holds 5,000 active alarms with only the visible rows in the DOM', async () => {
    const context = await browser!.newContext({ viewport: { width: 1500, height: 900 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    const now = Date.now();
    const many = Array.from({ length: 5000 }, (_, i) => ({
      ...coAlarm,
      alarmId: `${fleet.taiyuan}:SYN-${i}:co-hh:${now - i * 1000}`,
      point: `SYN-${i}`,
      level: ((i % 4) + 1) as 1 | 2 | 3 | 4,
      state: 'active-unack',
      loop: 'open',
      episodeStart: now - i * 1000,
      seq: 1,
    }));
    // Only the listing is replaced (the API caps a page at 1,000); the stream and everything else is real.
    await page.route('**/api/v1/alarms?*', (route) =>
      route.fulfill({
        json: { items: many, count: many.length },
        headers: { 'content-type': 'application/json' },
      }),
    );
    await page.goto(consoleUrl);
    await page.locator('[data-persona="operator"]').click();
    const list = page.locator('[data-testid="alarm-rows"]');
    await page.locator('[data-testid="alarm-rows"][data-total="5000"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.tr').count()).toBeLessThan(60);
    await expect(page.locator('[data-testid="count-1"]').textContent()).resolves.toBe('1250');
    await list.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.locator('.tr[data-alarm-id$=":SYN-4999:co-hh:' + String(now - 4999 * 1000) + '"]').waitFor();
    expect(await page.locator('.tr').count()).toBeLessThan(60);
  });
});
