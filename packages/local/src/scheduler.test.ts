import type { ScheduleRow } from '@vigil/infra/manifest';
import { describe, expect, it } from 'vitest';
import { RuntimeClock } from './clock';
import { Scheduler } from './scheduler';

const row = (name: string, expression: string): ScheduleRow => ({
  name,
  expression,
  function: name,
  description: name,
});
const at = (iso: string) => Date.parse(iso);

describe('Scheduler under the test clock', () => {
  it('plays every occurrence in a skipped interval in time order, moving the clock to each', async () => {
    const clock = new RuntimeClock(true);
    clock.set(at('2026-11-24T07:58:30Z'));
    const runs: string[] = [];
    const scheduler = new Scheduler(
      [row('five', 'rate(5 minutes)'), row('minute', 'rate(1 minute)'), row('daily', 'cron(0 8 * * ? *)')],
      clock,
      async (r, time) => {
        expect(clock.now()).toBe(time);
        runs.push(`${r.name}@${new Date(time).toISOString().slice(11, 16)}`);
      },
    );
    await scheduler.runUntil(at('2026-11-24T08:01:00Z'));
    expect(runs).toEqual(['minute@07:59', 'five@08:00', 'minute@08:00', 'daily@08:00', 'minute@08:01']);
    expect(clock.now()).toBe(at('2026-11-24T08:01:00Z'));
  });

  it('runs nothing by itself and nothing when the clock moves backwards', async () => {
    const clock = new RuntimeClock(true);
    const runs: string[] = [];
    const scheduler = new Scheduler(
      [row('minute', 'rate(1 minute)')],
      clock,
      async (r) => void runs.push(r.name),
    );
    scheduler.start();
    const now = clock.now();
    expect(await scheduler.runUntil(now - 600_000)).toBe(0);
    expect(runs).toEqual([]);
    await scheduler.stop();
  });

  it('never overlaps a job with itself', async () => {
    const clock = new RuntimeClock(true);
    let active = 0;
    let most = 0;
    const scheduler = new Scheduler([row('slow', 'rate(1 minute)')], clock, async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
    });
    await Promise.all([
      scheduler.run(row('slow', 'rate(1 minute)'), 0),
      scheduler.run(row('slow', 'rate(1 minute)'), 0),
    ]);
    expect(most).toBe(1);
  });
});
