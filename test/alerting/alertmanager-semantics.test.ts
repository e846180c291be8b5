import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

/**
 * Alertmanager's notification semantics, scenario by scenario, with exact expected sends.
 * Each scenario has its own receiver and route (matched on a `scenario` label), so they run
 * side by side on one test clock. Timers resolve to the minute job's tick.
 */
const MIN = 60_000;

describe('Alertmanager semantics', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  const sends = (receiver: string) =>
    rt.sns.messages
      .filter((m) => m.attributes.receiver === receiver && m.attributes.kind === 'alert')
      .map(
        (m) =>
          JSON.parse(JSON.parse(m.message).default) as {
            status: string;
            alerts: Array<{ status: string; labels: Record<string, string> }>;
          },
      );
  const post = (
    scenario: string,
    alerts: Array<{ name: string; severity?: string; service?: string; startsAt?: string; endsAt?: string }>,
  ) =>
    rt.api(
      'POST',
      '/api/v2/alerts',
      alerts.map((a) => ({
        labels: {
          alertname: a.name,
          scenario,
          severity: a.severity ?? 'high',
          ...(a.service && { service: a.service }),
        },
        ...(a.startsAt && { startsAt: a.startsAt }),
        ...(a.endsAt && { endsAt: a.endsAt }),
      })),
    );
  const now = () => new Date(rt.clock.now()).toISOString();

  let sink: Server;
  beforeAll(async () => {
    // Deliveries succeed at once, so the scenarios measure decisions, not retries.
    sink = createServer((req, res) => req.resume().on('end', () => res.end('ok')));
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
    rt = await startTestRuntime();
    await rt.setClock(Date.parse('2026-11-20T12:00:00Z'));
    const receivers = [
      'batch',
      'later',
      'quiet',
      'repeat',
      'silenced',
      'inhibit',
      'first',
      'second',
      'flap',
      'old',
    ];
    for (const name of receivers) {
      const res = await rt.api('POST', '/api/v1/receivers', {
        name,
        type: 'webhook',
        url: sinkUrl,
        sendResolved: name !== 'quiet',
      });
      expect(res.status).toBe(201);
    }
    const route = (scenario: string, receiver: string, extra: Record<string, unknown> = {}) => ({
      matchers: [`scenario="${scenario}"`],
      receiver,
      ...extra,
    });
    const res = await rt.api('PUT', '/api/v1/routing', {
      route: {
        receiver: 'batch',
        group_by: ['alertname'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        routes: [
          route('batch', 'batch'),
          route('later', 'later'),
          route('quiet', 'quiet'),
          route('repeat', 'repeat', { repeat_interval: '10m' }),
          route('silenced', 'silenced'),
          route('inhibit', 'inhibit', { group_by: ['alertname', 'service'] }),
          route('continue', 'first', { continue: true }),
          route('continue', 'second'),
          route('flap', 'flap'),
          route('old', 'old'),
        ],
      },
      inhibit_rules: [
        {
          source_matchers: ['severity="critical"', 'scenario="inhibit"'],
          target_matchers: ['severity="medium"'],
          equal: ['service'],
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
  afterAll(async () => {
    await rt.cleanup();
    sink.close();
  });

  it('batches alerts that arrive within group_wait into one notification', async () => {
    await post('batch', [{ name: 'Batch' }]);
    await rt.advanceClock(10_000);
    await post('batch', [{ name: 'Batch', service: 'other' }]);
    await rt.advanceClock(MIN);
    expect(sends('batch')).toHaveLength(1);
    expect(sends('batch')[0].alerts).toHaveLength(2);
  });

  it('sends a new alert in a flushed group only on the next group_interval tick', async () => {
    await post('later', [{ name: 'Later' }]);
    await rt.advanceClock(MIN);
    expect(sends('later')).toHaveLength(1);
    await post('later', [{ name: 'Later', service: 'b' }]);
    await rt.advanceClock(2 * MIN);
    expect(sends('later')).toHaveLength(1);
    await rt.advanceClock(3 * MIN);
    expect(sends('later')).toHaveLength(2);
    expect(sends('later')[1].alerts).toHaveLength(2);
  });

  it('with send_resolved false, sends nothing when the group resolves', async () => {
    await post('quiet', [{ name: 'Quiet' }]);
    await rt.advanceClock(MIN);
    expect(sends('quiet')).toHaveLength(1);
    await post('quiet', [{ name: 'Quiet', endsAt: now() }]);
    await rt.advanceClock(10 * MIN);
    expect(sends('quiet')).toHaveLength(1);
  });

  it('repeats an unchanged firing group once repeat_interval has passed, on a group_interval tick', async () => {
    await post('repeat', [{ name: 'Repeat' }]);
    await rt.advanceClock(MIN);
    expect(sends('repeat')).toHaveLength(1);
    // Keep it firing (a real client re-sends), then cross the 10m repeat on the 10m tick.
    for (let i = 0; i < 3; i++) {
      await post('repeat', [{ name: 'Repeat' }]);
      await rt.advanceClock(4 * MIN);
    }
    expect(sends('repeat')).toHaveLength(2);
  });

  it('suppresses a silenced alert and sends it once the silence expires', async () => {
    const silence = await rt.api('POST', '/api/v2/silences', {
      matchers: [{ name: 'scenario', value: 'silenced', isRegex: false, isEqual: true }],
      endsAt: new Date(rt.clock.now() + 3 * MIN).toISOString(),
      createdBy: 'test',
      comment: 'maintenance',
    });
    expect(silence.status).toBe(200);
    await post('silenced', [{ name: 'Silenced' }]);
    await rt.advanceClock(2 * MIN);
    expect(sends('silenced')).toHaveLength(0);
    await post('silenced', [{ name: 'Silenced' }]);
    await rt.advanceClock(5 * MIN);
    expect(sends('silenced')).toHaveLength(1);
  });

  it('inhibits a target while a matching source fires', async () => {
    await post('inhibit', [
      { name: 'Inhibit', severity: 'critical', service: 'db' },
      { name: 'Inhibit', severity: 'medium', service: 'db' },
      { name: 'Inhibit', severity: 'medium', service: 'web' },
    ]);
    await rt.advanceClock(MIN);
    const sent = sends('inhibit')
      .flatMap((s) => s.alerts.map((a) => `${a.labels.severity}/${a.labels.service}`))
      .sort();
    expect(sent).toEqual(['critical/db', 'medium/web']);
  });

  it('delivers to two receivers when a route continues', async () => {
    await post('continue', [{ name: 'Continue' }]);
    await rt.advanceClock(MIN);
    expect(sends('first')).toHaveLength(1);
    expect(sends('second')).toHaveLength(1);
  });

  it('sends nothing for an alert that flaps within one group_interval', async () => {
    await post('flap', [{ name: 'Flap' }]);
    await rt.advanceClock(MIN);
    expect(sends('flap')).toHaveLength(1);
    await post('flap', [{ name: 'Flap', endsAt: now() }]);
    await rt.advanceClock(MIN);
    await post('flap', [{ name: 'Flap' }]);
    await rt.advanceClock(5 * MIN);
    expect(sends('flap')).toHaveLength(1);
  });

  it('sends an alert older than group_wait on the next flush instead of waiting again', async () => {
    const ago = (ms: number) => new Date(rt.clock.now() - ms).toISOString();
    // Firing for the whole scenario, so resolve_timeout plays no part.
    const endsAt = new Date(rt.clock.now() + 60 * MIN).toISOString();
    // Alone: its new group flushes at once, when the alert arrives.
    await post('old', [{ name: 'OldAlone', startsAt: ago(10 * MIN), endsAt }]);
    expect(sends('old').map((s) => s.alerts.map((a) => a.labels.alertname))).toEqual([['OldAlone']]);
    // Joining a group still in its group_wait: the whole group flushes at once.
    await post('old', [{ name: 'OldJoin', service: 'fresh', endsAt }]);
    await rt.advanceClock(10_000);
    expect(sends('old')).toHaveLength(1);
    await post('old', [{ name: 'OldJoin', service: 'stale', startsAt: ago(5 * MIN), endsAt }]);
    expect(sends('old')).toHaveLength(2);
    expect(
      sends('old')[1]
        .alerts.map((a) => a.labels.service)
        .sort(),
    ).toEqual(['fresh', 'stale']);
    // Joining a group that has already sent: it waits for the group_interval tick like any new alert.
    await rt.advanceClock(MIN);
    await post('old', [{ name: 'OldAlone', service: 'late', startsAt: ago(10 * MIN), endsAt }]);
    expect(sends('old')).toHaveLength(2);
    await rt.advanceClock(2 * MIN);
    expect(sends('old')).toHaveLength(2);
    // The group_interval tick, 5 minutes after the first send, brings the late alert; the other group stays quiet.
    await rt.advanceClock(3 * MIN);
    expect(sends('old')).toHaveLength(3);
    expect(
      sends('old')[2]
        .alerts.map((a) => a.labels.service ?? '-')
        .sort(),
    ).toEqual(['-', 'late']);
  });
});
