import { emptyRuleState, type RuleInstance } from '@vigil/core/alerting';
import { MAX_TRANSITIONS, type RuleStateItem, type RuleTransition } from '@vigil/dynamo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordTransitions } from '../../packages/functions/src/alerting/rules';
import { findings, type Summary } from '../../packages/functions/src/insight/summary';
import { startTestRuntime } from '../support/runtime';

const MIN = 60_000;
const T0 = Date.parse('2026-11-20T12:00:00Z');

interface Finding {
  severity: string;
  title: string;
  recommendation: string;
  numbers: Record<string, unknown>;
}

/**
 * The flapping insight end to end: a metric crosses a rule's threshold every three minutes, the
 * minute job evaluates the rules as the test clock advances, and GET /api/v1/insights reports
 * the rule with the number of times its alert fired, while a rule that fired once and stays
 * firing is not reported.
 */
describe('flapping rule insight', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;

  const ruleFindings = async () => {
    const res = await rt.api('GET', '/api/v1/insights');
    expect(res.status, res.text).toBe(200);
    return (res.body.findings as Finding[]).filter((f) => f.title.includes('FlapE2E'));
  };
  /** One minute: a sample of each series half-way through it, then the minute job runs. */
  const minute = async (flapping: number) => {
    const t = rt.clock.now() + 30_000;
    const res = await rt.api('POST', '/api/v1/metrics', {
      series: [
        { name: 'flap_e2e_temperature', labels: { room: 'a' }, samples: [[t, flapping]] },
        { name: 'flap_e2e_temperature', labels: { room: 'steady' }, samples: [[t, 95]] },
      ],
    });
    expect(res.status, res.text).toBe(200);
    await rt.advanceClock(MIN);
  };
  /** Three minutes above the threshold, then three below: the alert fires and resolves once. */
  const cycle = async () => {
    for (let i = 0; i < 3; i++) await minute(90);
    for (let i = 0; i < 3; i++) await minute(60);
  };

  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T0);
    for (const rule of [
      { name: 'FlapE2EHot', expr: 'flap_e2e_temperature{room="a"} > 80', for: '0s' },
      { name: 'FlapE2ESteady', expr: 'flap_e2e_temperature{room="steady"} > 80', for: '1m' },
    ]) {
      const res = await rt.api('POST', '/api/v1/rules', {
        severity: 'high',
        labels: {},
        annotations: {},
        enabled: true,
        ...rule,
      });
      expect(res.status, res.text).toBe(201);
    }
  }, 60_000);
  afterAll(async () => rt?.cleanup());

  it('is silent while an alert has fired fewer than six times in the day', async () => {
    for (let c = 0; c < 5; c++) await cycle();
    expect(await ruleFindings()).toEqual([]);
  }, 240_000);

  it('reports the rule that flapped, with the count, the window and its `for`, and suggests `for: 5m`', async () => {
    await cycle();
    await cycle();
    const found = await ruleFindings();
    expect(found).toEqual([
      {
        severity: 'medium',
        title: 'Rule "FlapE2EHot" flapped 7 times in 24 h',
        recommendation: expect.stringContaining('`for: 5m`'),
        numbers: expect.objectContaining({
          timesFired: 7,
          resolved: 7,
          alertsFlapping: 1,
          windowHours: 24,
          for: '0s',
        }),
      },
    ]);
    expect(found[0].recommendation).toContain('now `for: 0s`');
  }, 240_000);

  it('gives no finding for a rule whose alert fired once and stays firing', async () => {
    const res = await rt.api('GET', '/api/v1/rules');
    const steady = res.body.data.groups
      .flatMap((g: { rules: Array<{ name: string; state: string }> }) => g.rules)
      .find((r: { name: string }) => r.name === 'FlapE2ESteady');
    expect(steady.state).toBe('firing');
    expect((await ruleFindings()).filter((f) => f.title.includes('FlapE2ESteady'))).toEqual([]);
  });
});

describe('rule transitions kept on the rule state', () => {
  const HOUR = 3_600_000;
  const instance = (fingerprint: string, state: 'pending' | 'firing'): RuleInstance => ({
    fingerprint,
    labels: {},
    annotations: {},
    state,
    activeAt: 0,
    firedAt: state === 'firing' ? 0 : null,
    lastSeenAt: 0,
    value: 1,
  });
  const stateWith = (item: Partial<RuleStateItem>): RuleStateItem => ({
    ...emptyRuleState('r1'),
    id: 'r1',
    version: 1,
    ...item,
  });

  it('adds an alert that starts firing or resolves, not one that stays firing', () => {
    const previous = stateWith({ instances: { a: instance('a', 'firing'), b: instance('b', 'pending') } });
    const step = {
      state: previous,
      firing: [instance('a', 'firing'), instance('b', 'firing'), instance('c', 'firing')],
      resolved: [instance('d', 'firing')],
    };
    expect(recordTransitions(previous, step, T0)).toEqual([
      [T0, 'b', 'firing'],
      [T0, 'c', 'firing'],
      [T0, 'd', 'resolved'],
    ]);
  });

  it('drops transitions older than a day and keeps only the newest', () => {
    const old = stateWith({
      transitions: [
        [T0 - 25 * HOUR, 'a', 'firing'],
        [T0 - 23 * HOUR, 'a', 'resolved'],
      ],
    });
    const quiet = { state: old, firing: [], resolved: [] };
    expect(recordTransitions(old, quiet, T0)).toEqual([[T0 - 23 * HOUR, 'a', 'resolved']]);

    // A full list, one a minute up to T0, oldest first.
    const full = stateWith({
      transitions: Array.from(
        { length: MAX_TRANSITIONS },
        (_, i): RuleTransition => [T0 - (MAX_TRANSITIONS - 1 - i) * MIN, 'a', 'firing'],
      ),
    });
    const next = recordTransitions(
      full,
      { state: full, firing: [instance('z', 'firing')], resolved: [] },
      T0 + MIN,
    );
    expect(next).toHaveLength(MAX_TRANSITIONS);
    expect(next.at(-1)).toEqual([T0 + MIN, 'z', 'firing']);
    expect(next[0][0]).toBe(T0 - (MAX_TRANSITIONS - 2) * MIN);
  });

  it('suggests keep_firing_for when the rule already waits five minutes before firing', () => {
    const summary = {
      slos: [],
      benchmarks: [],
      incidentsLast7Days: { mttaMinutes: null, count: 0 },
      firingAlerts: { count: 0 },
      rules: {
        erroring: [],
        flapping: [
          {
            rule: 'r1',
            name: 'Slow',
            timesFired: 30,
            atLeast: false,
            alertsFlapping: 1,
            resolved: 30,
            windowHours: 24,
            for: '5m',
            keepFiringFor: '0s',
          },
        ],
      },
    } as unknown as Summary;
    const [f] = findings(summary);
    expect(f.severity).toBe('high');
    expect(f.title).toBe('Rule "Slow" flapped 30 times in 24 h');
    expect(f.recommendation).toContain('`keep_firing_for: 10m`');
    expect(f.numbers).toMatchObject({ timesFired: 30, for: '5m', keepFiringFor: '0s' });
  });
});
