import { startRuntime } from '@vigil/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestRuntime } from '../support/runtime';

const T = Date.parse('2026-11-20T12:00:00Z');

describe('escalation with the test clock', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let dataDir: string;
  beforeAll(async () => {
    rt = await startTestRuntime();
    dataDir = rt.dataDir;
    await rt.setClock(T);
    await rt.api('POST', '/api/v1/users', {
      id: 'alice',
      name: 'Alice',
      email: 'alice@example.com',
      contacts: [{ type: 'email', address: 'alice@example.com' }],
    });
    await rt.api('POST', '/api/v1/users', { id: 'bob', name: 'Bob', email: 'bob@example.com' });
    await rt.api('POST', '/api/v1/schedules', {
      id: 'primary',
      name: 'Primary',
      layers: [
        {
          name: 'l',
          users: ['bob'],
          rotationStart: '2026-11-01T00:00:00Z',
          shift: { every: 1, unit: 'weeks' },
          timeZone: 'UTC',
        },
      ],
    });
    const policy = await rt.api('POST', '/api/v1/escalation-policies', {
      name: 'api',
      services: ['api'],
      levels: [
        { delayMinutes: 10, targets: [{ kind: 'user', id: 'alice' }] },
        { delayMinutes: 15, targets: [{ kind: 'schedule', id: 'primary' }] },
      ],
      repeat: 1,
      ackTimeoutMinutes: 30,
    });
    expect(policy.status).toBe(201);
  });
  afterAll(async () => {
    await rt.cleanup();
  });

  const pages = () =>
    rt.sns.messages
      .filter((m) => m.attributes.kind === 'escalation')
      .map((m) => `${Math.round((m.at - T) / 60_000)}m:${m.attributes.user}`);

  it('pages L1 at once and L2 after its delay, stops on acknowledge and resumes when it times out', async () => {
    const incident = await rt.api('POST', '/api/v1/incidents', {
      title: 'API down',
      severity: 'SEV2',
      service: 'api',
    });
    expect(incident.body.escalation.level).toBe(0);
    await rt.advanceClock(60_000);
    expect(pages()).toEqual(['1m:alice']);
    await rt.advanceClock(10 * 60_000);
    expect(pages()).toEqual(['1m:alice', '11m:bob']);
    expect((await rt.api('POST', `/api/v1/incidents/${incident.body.id}/acknowledge`)).status).toBe(200);
    await rt.advanceClock(29 * 60_000);
    expect(pages()).toHaveLength(2);
    await rt.advanceClock(2 * 60_000);
    expect(pages()).toEqual(['1m:alice', '11m:bob', '41m:alice']);
    const timeline = (await rt.api('GET', `/api/v1/incidents/${incident.body.id}/timeline`)).body.events;
    expect(timeline.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(3);
  });

  it('loses nothing across a runtime restart and honours the repeat count', async () => {
    const incident = await rt.api('POST', '/api/v1/incidents', {
      title: 'DB slow',
      severity: 'SEV3',
      service: 'api',
    });
    const before = pages().length;
    await rt.advanceClock(60_000);
    expect(pages().length).toBe(before + 1);
    const clock = rt.clock.now();
    await rt.stop();
    const again = await startRuntime({
      port: 0,
      dataDir,
      adminKey: 'vgl_test_admin_key',
      testClock: true,
      quiet: true,
    });
    try {
      await again.setClock(clock);
      const call = api(again.url, again.adminKey);
      await again.advanceClock(120 * 60_000);
      const sent = again.sns.messages.filter(
        (m) => m.attributes.kind === 'escalation' && String(m.message).includes(incident.body.id),
      );
      // After the L1 page before the restart: L2, then one repeat (L1, L2), then it stops.
      expect(sent.map((m) => m.attributes.user)).toEqual(['bob', 'alice', 'bob']);
      const events = (await call('GET', `/api/v1/incidents/${incident.body.id}/timeline`)).body.events;
      expect(events.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(4);
    } finally {
      await again.stop();
      rt = Object.assign(rt, { cleanup: async () => undefined });
    }
  });
});
