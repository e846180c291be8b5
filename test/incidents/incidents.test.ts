import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

describe('incidents over the API', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(Date.parse('2026-11-20T12:00:00Z'));
  });
  afterAll(() => rt.cleanup());

  it('runs the lifecycle, refuses invalid transitions with the allowed ones, and times the response', async () => {
    const created = await rt.api('POST', '/api/v1/incidents', {
      title: 'API down',
      severity: 'SEV2',
      service: 'api',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const invalid = await rt.api('POST', `/api/v1/incidents/${id}/close`);
    expect(invalid.status).toBe(409);
    expect(invalid.body.allowed).toEqual(['acknowledge', 'resolve']);
    await rt.advanceClock(4 * 60_000);
    expect((await rt.api('POST', `/api/v1/incidents/${id}/acknowledge`)).body.ttaMinutes).toBe(4);
    await rt.advanceClock(20 * 60_000);
    expect(
      (await rt.api('POST', `/api/v1/incidents/${id}/investigate`, { note: 'DB failover suspected' })).status,
    ).toBe(200);
    const resolved = await rt.api('POST', `/api/v1/incidents/${id}/resolve`);
    expect(resolved.body).toMatchObject({ status: 'resolved', ttrMinutes: 24 });
    const tl = await rt.api('GET', `/api/v1/incidents/${id}/timeline`);
    expect(tl.body.events.map((e: { type: string; to?: string }) => e.to ?? e.type)).toEqual([
      'open',
      'acknowledged',
      'investigating',
      'note',
      'resolved',
      'review.created',
    ]);
    const md = await rt.api('GET', `/api/v1/incidents/${id}/timeline?format=markdown`);
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(md.text).toContain('# API down');
    expect(md.text).toContain('DB failover suspected');
  });

  it('lets exactly one of 50 parallel transitions win and loses no timeline event', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await rt.api('POST', '/api/v1/incidents', { title: `race ${i}`, severity: 'SEV3', service: 'api' }))
          .body.id,
      );
    const results = await Promise.all(
      ids.flatMap((id) =>
        Array.from({ length: 10 }, () =>
          rt.api('POST', `/api/v1/incidents/${id}/acknowledge`).then((r) => [id, r.status] as const),
        ),
      ),
    );
    for (const id of ids) {
      const statuses = results.filter(([i]) => i === id).map(([, s]) => s);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(9);
      const events = (await rt.api('GET', `/api/v1/incidents/${id}/timeline`)).body.events;
      expect(events.map((e: { to?: string }) => e.to)).toEqual(['open', 'acknowledged']);
    }
  });

  it('patches with If-Match and answers a stale ETag with 412', async () => {
    const created = await rt.api('POST', '/api/v1/incidents', {
      title: 'slow',
      severity: 'SEV4',
      service: 'web',
    });
    const etag = created.headers.get('etag')!;
    const ok = await rt.api(
      'PATCH',
      `/api/v1/incidents/${created.body.id}`,
      { severity: 'SEV3' },
      { headers: { 'if-match': etag } },
    );
    expect(ok.status).toBe(200);
    const stale = await rt.api(
      'PATCH',
      `/api/v1/incidents/${created.body.id}`,
      { severity: 'SEV1' },
      { headers: { 'if-match': etag } },
    );
    expect(stale.status).toBe(412);
    expect((await rt.api('GET', `/api/v1/incidents/${created.body.id}`)).body.severity).toBe('SEV3');
  });

  it('filters the list and validates the actor against users', async () => {
    const list = await rt.api('GET', '/api/v1/incidents?severity=SEV2&status=resolved');
    expect(
      list.body.incidents.every(
        (i: { severity: string; status: string }) => i.severity === 'SEV2' && i.status === 'resolved',
      ),
    ).toBe(true);
    expect((await rt.api('GET', '/api/v1/incidents?status=bogus')).status).toBe(400);
    const unknown = await rt.api('POST', '/api/v1/incidents', {
      title: 'x',
      severity: 'SEV4',
      service: 'a',
      by: 'nobody',
    });
    expect(unknown.body.errors[0].field).toBe('by');
  });

  it('shows who is on call at the clock time, with overrides', async () => {
    for (const id of ['alice', 'bob'])
      expect(
        (await rt.api('POST', '/api/v1/users', { id, name: id, email: `${id}@example.com` })).status,
      ).toBe(201);
    const schedule = await rt.api('POST', '/api/v1/schedules', {
      id: 'primary',
      name: 'Primary',
      layers: [
        {
          name: 'weekly',
          users: ['alice', 'bob'],
          rotationStart: '2026-11-16T08:00:00Z',
          shift: { every: 1, unit: 'weeks' },
          handoffTime: '09:00',
          timeZone: 'Europe/Berlin',
        },
      ],
    });
    expect(schedule.status).toBe(201);
    expect((await rt.api('GET', '/api/v1/oncall')).body.oncall[0]).toMatchObject({
      schedule: 'primary',
      user: 'alice',
    });
    expect((await rt.api('GET', '/api/v1/schedules/primary/oncall?at=2026-11-23T08:30:00Z')).body.user).toBe(
      'bob',
    );
    await rt.api('POST', '/api/v1/schedules/primary/overrides', {
      user: 'bob',
      start: '2026-11-20T11:00:00Z',
      end: '2026-11-20T18:00:00Z',
    });
    expect((await rt.api('GET', '/api/v1/oncall')).body.oncall[0]).toMatchObject({ user: 'bob' });
    const bad = await rt.api('POST', '/api/v1/schedules', {
      name: 'x',
      layers: [
        {
          name: 'l',
          users: ['zed'],
          rotationStart: '2026-11-16T08:00:00Z',
          shift: { every: 1, unit: 'days' },
          timeZone: 'Mars/Olympus',
        },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toContain('timeZone');
  });
});
