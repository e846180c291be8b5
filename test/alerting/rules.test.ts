import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

const MIN = 60_000;
const T0 = Date.parse('2026-11-20T12:00:00Z');

/**
 * Rule evaluation by the evaluate-alerts job, end to end: every rule of a cycle is evaluated
 * against one read of the metric window, so these check that each rule still sees exactly its
 * own series and window — states per output label set, `for`, templated annotations, a rule
 * over an unseen metric, a failing rule that does not stop the others.
 */
describe('alert rules evaluated by the minute job', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  const rules: Record<string, string> = {};

  const ingest = async (t: number, values: Record<string, number>, requests: Record<string, number>) => {
    const res = await rt.api('POST', '/api/v1/metrics', {
      series: [
        ...Object.entries(values).map(([service, v]) => ({
          name: 'rules_e2e_queue_depth',
          labels: { service },
          samples: [[t, v]],
        })),
        ...Object.entries(requests).map(([service, v]) => ({
          name: 'rules_e2e_requests_total',
          labels: { service },
          samples: [[t, v]],
        })),
      ],
    });
    expect(res.status, res.text).toBe(200);
  };
  const ruleState = async (name: string) => {
    const res = await rt.api('GET', '/api/v1/rules');
    expect(res.status).toBe(200);
    const all = res.body.data.groups.flatMap((g: { rules: unknown[] }) => g.rules) as Array<{
      name: string;
      state: string;
      health: string;
      lastError: string;
      alerts: Array<{ labels: Record<string, string>; state: string; annotations: Record<string, string> }>;
    }>;
    return all.find((r) => r.name === name)!;
  };
  /** Scrapes every 15 s through one minute, then lets the minute job run. */
  const minute = async (values: Record<string, number>, perMinute: Record<string, number>, i: number) => {
    const start = rt.clock.now();
    for (let s = 1; s <= 4; s++)
      await ingest(
        start + s * 15_000 - 1,
        values,
        Object.fromEntries(Object.entries(perMinute).map(([k, v]) => [k, v * (i + s / 4)])),
      );
    await rt.advanceClock(MIN);
  };

  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T0);
    for (const rule of [
      {
        name: 'E2EQueueDeep',
        expr: 'rules_e2e_queue_depth > 100',
        for: '2m',
        severity: 'high',
        annotations: { summary: 'queue {{ $labels.service }} at {{ $value }}' },
      },
      {
        name: 'E2ERequestsFast',
        expr: 'sum by (service) (rate(rules_e2e_requests_total[2m])) > 5',
        for: '0s',
        severity: 'medium',
      },
      { name: 'E2ENeverSeen', expr: 'rules_e2e_never_sent_metric > 0', for: '0s', severity: 'low' },
      {
        name: 'E2EBroken',
        expr: 'rules_e2e_queue_depth + on() rules_e2e_queue_depth',
        for: '0s',
        severity: 'low',
      },
    ]) {
      const res = await rt.api('POST', '/api/v1/rules', {
        labels: {},
        annotations: {},
        enabled: true,
        ...rule,
      });
      expect(res.status, res.text).toBe(201);
      rules[rule.name] = res.body.id;
    }
  }, 60_000);
  afterAll(async () => rt?.cleanup());

  it('takes each output label set through pending, firing and resolved on its own', async () => {
    // a is deep from the start, b stays shallow; api serves 10 req/s, web 1 req/s.
    await minute({ a: 150, b: 20 }, { api: 600, web: 60 }, 0);
    let deep = await ruleState('E2EQueueDeep');
    expect(deep.health).toBe('ok');
    expect(deep.alerts.map((a) => `${a.labels.service}:${a.state}`)).toEqual(['a:pending']);
    const fast = await ruleState('E2ERequestsFast');
    expect(fast.alerts.map((a) => `${a.labels.service}:${a.state}`)).toEqual(['api:firing']);

    await minute({ a: 150, b: 20 }, { api: 600, web: 60 }, 1);
    await minute({ a: 150, b: 20 }, { api: 600, web: 60 }, 2);
    deep = await ruleState('E2EQueueDeep');
    expect(deep.alerts.map((a) => `${a.labels.service}:${a.state}`)).toEqual(['a:firing']);
    expect(deep.alerts[0].annotations.summary).toBe('queue a at 150');
    const alerts = await rt.api(
      'GET',
      `/api/v2/alerts?filter=${encodeURIComponent('alertname="E2EQueueDeep"')}`,
    );
    expect(alerts.body.map((a: { labels: Record<string, string> }) => a.labels.service)).toEqual(['a']);

    // a drains: resolved at the next evaluation, and no longer listed as firing.
    await minute({ a: 10, b: 20 }, { api: 600, web: 60 }, 3);
    deep = await ruleState('E2EQueueDeep');
    expect(deep.alerts).toEqual([]);
    expect(deep.state).toBe('inactive');
    const after = await rt.api(
      'GET',
      `/api/v2/alerts?filter=${encodeURIComponent('alertname="E2EQueueDeep"')}`,
    );
    expect(after.body.filter((a: { status: { state: string } }) => a.status.state === 'active')).toEqual([]);
  });

  it('keeps a rule over a metric never seen inactive and silent', async () => {
    const never = await ruleState('E2ENeverSeen');
    expect(never.state).toBe('inactive');
    expect(never.alerts).toEqual([]);
    expect(never.health).not.toBe('err');
  });

  it('records an evaluation error on its rule while the others go on', async () => {
    const broken = await ruleState('E2EBroken');
    expect(broken.health).toBe('err');
    expect(broken.lastError).not.toBe('');
    expect((await ruleState('E2ERequestsFast')).health).toBe('ok');
  });
});
