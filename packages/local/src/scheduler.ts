import {
  nextOccurrence,
  occurrencesBetween,
  parseScheduleExpression,
  type ScheduleExpression,
} from '@vigil/core/schedule';
import type { ScheduleRow } from '@vigil/infra/manifest';
import type { RuntimeClock } from './clock';

/** At most this many runs of one schedule per clock jump: beyond, only the latest ones run. */
const MAX_RUNS_PER_JUMP = 1_440;

interface Entry {
  row: ScheduleRow;
  expression: ScheduleExpression;
}

/**
 * Runs the manifest's schedules as EventBridge Scheduler would. In real time it sleeps until
 * the next occurrence; under the test clock nothing runs by itself, and `runUntil` plays every
 * occurrence in a skipped interval in order, moving the clock to each before it runs.
 * A job never overlaps itself (reserved concurrency 1 on AWS).
 */
export class Scheduler {
  private readonly entries: Entry[];
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    rows: ScheduleRow[],
    private readonly clock: RuntimeClock,
    private readonly invoke: (row: ScheduleRow, at: number) => Promise<void>,
  ) {
    this.entries = rows.map((row) => ({ row, expression: parseScheduleExpression(row.expression) }));
  }

  /** Starts real-time scheduling (not under the test clock). */
  start(): void {
    if (this.clock.controllable) return;
    this.arm(this.clock.now());
  }

  /** Plays every occurrence in (now, target] in order, then leaves the clock at `target`. */
  async runUntil(target: number): Promise<number> {
    const from = this.clock.now();
    if (target < from) {
      this.clock.set(target);
      return 0;
    }
    const due: Array<{ at: number; order: number; entry: Entry }> = [];
    this.entries.forEach((entry, order) => {
      const times = occurrencesBetween(entry.expression, from, target);
      for (const at of times.slice(-MAX_RUNS_PER_JUMP)) due.push({ at, order, entry });
    });
    due.sort((a, b) => a.at - b.at || a.order - b.order);
    for (const { at, entry } of due) {
      if (this.stopped) break;
      this.clock.set(at);
      await this.run(entry.row, at);
    }
    this.clock.set(target);
    return due.length;
  }

  /** Runs one schedule's job now (waiting for a run already in progress). */
  async run(row: ScheduleRow, at: number): Promise<void> {
    // Chained synchronously, so two callers in the same tick still run one after the other.
    const previous = this.running.get(row.function) ?? Promise.resolve();
    const run: Promise<void> = previous
      .catch(() => undefined)
      .then(() => this.invoke(row, at))
      .finally(() => {
        if (this.running.get(row.function) === run) this.running.delete(row.function);
      });
    this.running.set(row.function, run);
    await run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.running.values()]);
  }

  private arm(after: number): void {
    if (this.stopped || this.entries.length === 0) return;
    const next = Math.min(
      ...this.entries.map((e) => nextOccurrence(e.expression, after) ?? Number.POSITIVE_INFINITY),
    );
    if (!Number.isFinite(next)) return;
    const delay = Math.min(Math.max(0, next - Date.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      const due = this.entries.filter((e) => nextOccurrence(e.expression, after) === next);
      for (const entry of due) {
        // A job still running from its last occurrence is skipped, not queued.
        if (!this.running.has(entry.row.function)) void this.run(entry.row, next).catch(() => undefined);
      }
      this.arm(next);
    }, delay);
    this.timer.unref();
  }
}

/** The event EventBridge Scheduler sends a job (the input the CDK construct configures). */
export function scheduledEvent(row: ScheduleRow, at: number) {
  return {
    version: '0',
    id: `${row.name}-${at}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: '000000000000',
    time: new Date(at).toISOString(),
    region: 'local',
    resources: [`arn:aws:scheduler:local:000000000000:schedule/default/${row.name}`],
    detail: {},
  };
}
