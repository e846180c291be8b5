import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

const GOLDEN = new URL('./golden/review.md', import.meta.url).pathname;

describe('post-incident reviews and runbooks', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(Date.parse('2026-11-20T12:00:00Z'));
  });
  afterAll(() => rt.cleanup());

  it('creates a review when a SEV2 resolves (not for SEV3), due in five business days', async () => {
    const sev2 = (
      await rt.api('POST', '/api/v1/incidents', {
        title: 'Checkout down',
        severity: 'SEV2',
        service: 'checkout',
      })
    ).body;
    const sev3 = (
      await rt.api('POST', '/api/v1/incidents', { title: 'Slow search', severity: 'SEV3', service: 'search' })
    ).body;
    await rt.advanceClock(5 * 60_000);
    await rt.api('POST', `/api/v1/incidents/${sev2.id}/acknowledge`);
    await rt.advanceClock(20 * 60_000);
    await rt.api('POST', `/api/v1/incidents/${sev2.id}/resolve`);
    await rt.api('POST', `/api/v1/incidents/${sev3.id}/resolve`);
    const review = await rt.api('GET', `/api/v1/incidents/${sev2.id}/review`);
    expect(review.status).toBe(200);
    // Friday 2026-11-20 + 5 business days = Friday 2026-11-27.
    expect(review.body).toMatchObject({ status: 'draft', due: '2026-11-27', severity: 'SEV2' });
    expect((await rt.api('GET', `/api/v1/incidents/${sev3.id}/review`)).status).toBe(404);
    const events = (await rt.api('GET', `/api/v1/incidents/${sev2.id}/timeline`)).body.events;
    expect(events.at(-1)).toMatchObject({ type: 'review.created' });

    const put = await rt.api('PUT', `/api/v1/incidents/${sev2.id}/review`, {
      summary: 'Checkout returned 502 for 25 minutes after a bad config push.',
      impact: '12 % of orders failed.',
      rootCause: 'A connection-pool limit of 5 shipped in the new config.',
      contributingFactors: ['No canary for config changes'],
      lessonsLearned: ['Config needs the same rollout as code'],
      actionItems: [
        { id: 'a1', title: 'Canary config rollouts', owner: 'alice', due: '2026-11-19', status: 'open' },
        {
          id: 'a2',
          title: 'Alert on pool saturation',
          owner: 'bob',
          due: '2026-12-10',
          status: 'in-progress',
        },
      ],
    });
    expect(put.status).toBe(200);
    const md = (await rt.api('GET', `/api/v1/incidents/${sev2.id}/review?format=markdown`)).text.replaceAll(
      sev2.id,
      'INCIDENT',
    );
    if (!existsSync(GOLDEN) || process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, md);
    expect(md).toBe(readFileSync(GOLDEN, 'utf8'));

    const overdue = await rt.api('GET', '/api/v1/reviews?overdue=true');
    expect(overdue.body.reviews).toHaveLength(1);
    expect(overdue.body.reviews[0].overdueActionItems.map((a: { id: string }) => a.id)).toEqual(['a1']);
  });

  it('ships the starter runbooks and manages runbooks as Markdown', async () => {
    const list = await rt.api('GET', '/api/v1/runbooks');
    expect(list.body.runbooks.map((r: { id: string }) => r.id).sort()).toEqual([
      'cache',
      'database-issues',
      'disk',
      'high-error-rate',
      'memory',
      'performance-degradation',
      'slo-violation',
      'startup',
      'workers',
    ]);
    expect(
      (
        await rt.api('POST', '/api/v1/runbooks', {
          id: 'kafka-lag',
          title: 'Kafka lag',
          body: '# Kafka lag\n\n1. Check consumers.\n',
        })
      ).status,
    ).toBe(201);
    const md = await rt.api('GET', '/api/v1/runbooks/kafka-lag?format=markdown');
    expect(md.text).toContain('Check consumers');
    expect((await rt.api('DELETE', '/api/v1/runbooks/kafka-lag')).status).toBe(204);
    expect(
      (await rt.api('POST', '/api/v1/runbooks', { id: 'Bad Id', title: 'x', body: '' })).body.errors[0].field,
    ).toBe('id');
  });
});
