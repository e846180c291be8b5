import { FixedClock } from '@vigil/core';
import { MemoryTableStore } from '@vigil/dynamo';
import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configurePlatform, platform, resetPlatform } from '../platform/context';
import { createJobHandler, heartbeatKey } from './toolkit';

const event = { time: '2026-11-24T08:00:00Z' } as ScheduledEvent;

describe('createJobHandler', () => {
  const clock = new FixedClock(Date.parse('2026-11-24T08:00:05Z'));
  beforeEach(() =>
    configurePlatform({
      clock,
      tables: {
        state: new MemoryTableStore('state'),
        metrics: new MemoryTableStore('metrics'),
        logs: new MemoryTableStore('logs'),
      },
    }),
  );
  afterEach(() => resetPlatform());

  it('passes the scheduled time and records a heartbeat on success', async () => {
    const seen: number[] = [];
    await createJobHandler('tick', async ({ scheduledAt }) => void seen.push(scheduledAt))(event);
    expect(seen).toEqual([Date.parse('2026-11-24T08:00:00Z')]);
    const beat = await platform().tables.state.get(heartbeatKey('tick'));
    expect(beat).toMatchObject({ job: 'tick', lastSuccessAt: clock.now(), runs: 1 });
  });

  it('records the failure and rethrows it so the scheduler retries', async () => {
    const job = createJobHandler('broken', async () => {
      throw new Error('store timeout');
    });
    await expect(job(event)).rejects.toThrow('store timeout');
    const beat = await platform().tables.state.get(heartbeatKey('broken'));
    expect(beat).toMatchObject({ lastFailureAt: clock.now(), lastError: 'store timeout', failures: 1 });
    expect(beat?.lastSuccessAt).toBeUndefined();
  });
});
