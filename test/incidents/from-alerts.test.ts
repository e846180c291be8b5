import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

describe('incidents from alert groups', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let sink: Server;
  beforeAll(async () => {
    sink = createServer((req, res) => req.resume().on('end', () => res.end('ok')));
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    rt = await startTestRuntime();
    await rt.setClock(Date.parse('2026-11-20T12:00:00Z'));
    await rt.api('POST', '/api/v1/receivers', {
      name: 'hook',
      type: 'webhook',
      url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`,
      sendResolved: true,
    });
    await rt.api('PUT', '/api/v1/routing', {
      route: {
        receiver: 'hook',
        group_by: ['alertname'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
      },
    });
  });
  afterAll(async () => {
    await rt.cleanup();
    sink.close();
  });

  const incidentsFor = async (name: string) =>
    (await rt.api('GET', '/api/v1/incidents?limit=100')).body.incidents.filter(
      (i: { labels: Record<string, string> }) => i.labels.alertname === name,
    );

  it('opens one incident per high/critical group, joins re-fires, and resolves it after the alerts stay quiet', async () => {
    await rt.api('POST', '/api/v2/alerts', [
      {
        labels: { alertname: 'ApiDown', severity: 'critical', service: 'api' },
        annotations: { summary: 'API is down' },
      },
    ]);
    await rt.advanceClock(60_000);
    let open = await incidentsFor('ApiDown');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ severity: 'SEV1', status: 'open', title: 'API is down', service: 'api' });
    await rt.api('POST', '/api/v2/alerts', [
      { labels: { alertname: 'ApiDown', severity: 'critical', service: 'api' } },
    ]);
    await rt.advanceClock(5 * 60_000);
    expect(await incidentsFor('ApiDown')).toHaveLength(1);
    await rt.api('POST', '/api/v2/alerts', [
      {
        labels: { alertname: 'ApiDown', severity: 'critical', service: 'api' },
        endsAt: new Date(rt.clock.now()).toISOString(),
      },
    ]);
    await rt.advanceClock(6 * 60_000);
    open = await incidentsFor('ApiDown');
    expect(open[0].status).toBe('open');
    await rt.advanceClock(30 * 60_000);
    open = await incidentsFor('ApiDown');
    expect(open[0].status).toBe('resolved');
    const events = (await rt.api('GET', `/api/v1/incidents/${open[0].id}/timeline`)).body.events.map(
      (e: { type: string }) => e.type,
    );
    expect(events).toEqual(expect.arrayContaining(['created', 'alert.resolved', 'transition']));
  });

  it('opens nothing for medium alerts', async () => {
    await rt.api('POST', '/api/v2/alerts', [{ labels: { alertname: 'Meh', severity: 'medium' } }]);
    await rt.advanceClock(60_000);
    expect(await incidentsFor('Meh')).toHaveLength(0);
  });
});
