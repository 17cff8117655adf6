/**
 * One 重大事故隐患 through its whole life over the operator API, for the demo (docs/hazards.md):
 * the operator promotes an alarm, the county regulator confirms it with a deadline and a
 * responsible person, the enterprise files the plan and reports it rectified, and the city
 * regulator (not the one who saw it rectified on paper) verifies it closed.
 */
export interface WalkthroughTokens {
  operator: string;
  county: string;
  enterprise: string;
  city: string;
}

export interface WalkthroughOptions {
  base: string;
  tokens: WalkthroughTokens;
  alarmId: string;
  criterionId: string;
  /** Pause between steps so a watcher sees each state (0 in tests). */
  pauseMs: number;
  /** One zh-CN line per step. */
  say: (line: string) => void;
  now?: () => number;
}

export interface WalkthroughResult {
  hazardId: string;
  states: string[];
}

interface HazardAnswer {
  id: string;
  state: string;
}

export async function walkHazardThroughItsLife(o: WalkthroughOptions): Promise<WalkthroughResult> {
  const now = o.now ?? Date.now;
  const post = async (path: string, token: string, body: unknown): Promise<HazardAnswer> => {
    const res = await fetch(`${o.base}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as HazardAnswer;
  };
  const pause = () => (o.pauseMs > 0 ? new Promise((r) => setTimeout(r, o.pauseMs)) : Promise.resolve());
  const states: string[] = [];
  const step = async (line: string, p: Promise<HazardAnswer>) => {
    const h = await p;
    states.push(h.state);
    o.say(`${line} → ${h.state}（隐患 ${h.id}）`);
    return h;
  };

  const h = await step(
    '值班员将报警升级为重大事故隐患',
    post('/hazards', o.tokens.operator, {
      source: { kind: 'alarm', alarmId: o.alarmId },
      criterionId: o.criterionId,
      title: '报警暴露的监测报警联锁缺失（演示）',
    }),
  );
  const path = `/hazards/${encodeURIComponent(h.id)}`;
  await pause();
  await step(
    '区县监管确认，限期7天整改',
    post(`${path}/confirm`, o.tokens.county, {
      deadline: now() + 7 * 86_400_000,
      responsible: { name: '企业安全负责人' },
      comment: '现场核实属实',
    }),
  );
  await pause();
  await step(
    '企业提交整改方案',
    post(`${path}/plan`, o.tokens.enterprise, { plan: '恢复联锁并加装联锁投入状态监测' }),
  );
  await pause();
  await step(
    '企业报告整改完成',
    post(`${path}/rectified`, o.tokens.enterprise, {
      comment: '联锁已恢复，监测点已接入',
      attachments: ['demo://hazards/photo-1.jpg'],
    }),
  );
  await pause();
  await step('市级监管复核销号', post(`${path}/verify`, o.tokens.city, { comment: '复核合格' }));
  return { hazardId: h.id, states };
}
