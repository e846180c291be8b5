import type { Heartbeat } from '@vigil/core/health';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { type Platform, platform } from '../platform/context';
import { logger, metrics } from '../platform/observability';

/** What a job's work function gets: the adapters, the scheduled time and a logger. */
export interface JobInput {
  platform: Platform;
  /** The scheduled time (from the EventBridge event), ms. */
  scheduledAt: number;
  event: ScheduledEvent;
  /** Wall-clock ms (`Date.now()`) this invocation has left before Lambda stops it; Infinity when unknown. */
  remainingMs: () => number;
}

/** Without a Lambda context (a direct call) a run works this long before it saves its progress. */
const DEFAULT_BUDGET_MS = 240_000;

/**
 * How long a run may work out of the time its invocation has left: the rest is kept for the
 * group being folded when the budget ends, and for saving progress.
 */
export function budgetMs(remainingMs: number): number {
  if (!Number.isFinite(remainingMs)) return DEFAULT_BUDGET_MS;
  return Math.max(0, remainingMs - Math.max(5_000, remainingMs * 0.15));
}

export const heartbeatKey = (job: string) => ({ PK: `HEARTBEAT#${job}`, SK: 'HEARTBEAT' });

/**
 * Builds a scheduled job's handler: runs `work`, records the heartbeat `/health/detailed`
 * reads (last success, or last failure and its error), and rethrows failures so the scheduler
 * retries and finally dead-letters them.
 */
export function createJobHandler<R>(name: string, work: (input: JobInput) => Promise<R>) {
  return async function handler(event: ScheduledEvent, context?: Context): Promise<R> {
    const p = platform();
    const started = p.clock.now();
    const scheduledAt = Date.parse(event?.time ?? '') || started;
    const key = heartbeatKey(name);
    try {
      const remainingMs = () => context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
      const result = await work({ platform: p, scheduledAt, event, remainingMs });
      const beat: Heartbeat = {
        job: name,
        lastSuccessAt: p.clock.now(),
        lastDurationMs: p.clock.now() - started,
      };
      await p.tables.state.increment(key, { runs: 1 }, { ...beat, GSI1PK: 'heartbeat', GSI1SK: name });
      return result;
    } catch (error) {
      logger.error('job failed', { job: name, error: error as Error });
      metrics.addMetric(`${name}-failures`, 'Count', 1);
      await p.tables.state
        .increment(
          key,
          { failures: 1 },
          {
            job: name,
            lastFailureAt: p.clock.now(),
            lastError: (error as Error).message?.slice(0, 500),
            GSI1PK: 'heartbeat',
            GSI1SK: name,
          },
        )
        .catch(() => undefined);
      throw error;
    }
  };
}
