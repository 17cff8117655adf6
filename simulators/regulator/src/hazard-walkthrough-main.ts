import { durationMs, loadConfigOrExit } from '@yujing/config';
import { z } from 'zod';
import { walkHazardThroughItsLife } from './hazard-walkthrough';

/**
 * `make demo`'s hazard (`tsx simulators/regulator/src/hazard-walkthrough-main.ts`): waits for the first
 * alarm of HAZARD_ENTERPRISE, then walks one hazard from it through its whole life, printing each step.
 */
const Config = z.object({
  OPERATOR_API: z.url().default('http://127.0.0.1:8080'),
  HAZARD_ENTERPRISE: z.string().min(1).default('140108ST01'),
  HAZARD_CRITERION: z.string().min(1).default('steel-bf-top-pressure'),
  HAZARD_STEP_PAUSE: durationMs().default(20_000),
  TOKEN_OPERATOR: z.string().min(1),
  TOKEN_COUNTY: z.string().min(1),
  TOKEN_ENTERPRISE: z.string().min(1),
  TOKEN_CITY: z.string().min(1),
});
const config = loadConfigOrExit('hazard-walkthrough', Config);
const say = (line: string) => process.stdout.write(`[隐患演示] ${line}\n`);

async function firstAlarm(): Promise<string> {
  for (;;) {
    const res = await fetch(
      `${config.OPERATOR_API}/api/v1/alarms?enterprise=${config.HAZARD_ENTERPRISE}&limit=1`,
      {
        headers: { authorization: `Bearer ${config.TOKEN_OPERATOR}` },
      },
    ).catch(() => undefined);
    const body = res?.ok ? ((await res.json()) as { items?: { alarmId: string }[] }) : undefined;
    const id = body?.items?.[0]?.alarmId;
    if (id) return id;
    await new Promise((r) => setTimeout(r, 5000)); // a poll for the demo, not a test
  }
}

say(`等待 ${config.HAZARD_ENTERPRISE} 的第一条报警…`);
const alarmId = await firstAlarm();
const out = await walkHazardThroughItsLife({
  base: config.OPERATOR_API,
  tokens: {
    operator: config.TOKEN_OPERATOR,
    county: config.TOKEN_COUNTY,
    enterprise: config.TOKEN_ENTERPRISE,
    city: config.TOKEN_CITY,
  },
  alarmId,
  criterionId: config.HAZARD_CRITERION,
  pauseMs: config.HAZARD_STEP_PAUSE,
  say,
});
say(`隐患 ${out.hazardId} 已闭环：${out.states.join(' → ')}`);
