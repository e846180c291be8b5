/**
 * Health verdicts, derived from checks and heartbeats. Pure: callers measure, this decides.
 */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/** One measured dependency. Critical checks fail the whole; others only warn. */
export interface CheckResult {
  name: string;
  status: HealthStatus;
  critical: boolean;
  latencyMs?: number;
  detail?: string;
  [extra: string]: unknown;
}

/** The whole: fail when a critical check fails, warn when anything else is not passing. */
export function overallStatus(checks: CheckResult[]): HealthStatus {
  if (checks.some((c) => c.critical && c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status !== 'pass')) return 'warn';
  return 'pass';
}

/** A job's last successful run, as the job runner records it. */
export interface Heartbeat {
  job: string;
  lastSuccessAt?: number;
  lastFailureAt?: number;
  lastError?: string;
  lastDurationMs?: number;
}

/**
 * A job is unhealthy when silent for 3 of its periods; one that never ran is pending (a fresh
 * deployment), which warns only once it has been up longer than that.
 */
export function heartbeatStatus(
  beat: Heartbeat | undefined,
  periodMs: number,
  now: number,
  upSince: number,
): { status: HealthStatus; detail: string } {
  const limit = 3 * periodMs;
  if (!beat?.lastSuccessAt) {
    return now - upSince > limit
      ? { status: 'fail', detail: 'has never succeeded' }
      : { status: 'pass', detail: 'pending first run' };
  }
  const silentFor = now - beat.lastSuccessAt;
  if (silentFor > limit)
    return {
      status: 'fail',
      detail: `no success for ${Math.round(silentFor / 1000)} s (limit ${Math.round(limit / 1000)} s)`,
    };
  if (beat.lastFailureAt && beat.lastFailureAt > beat.lastSuccessAt)
    return { status: 'warn', detail: `last run failed: ${beat.lastError ?? 'unknown error'}` };
  return { status: 'pass', detail: `last success ${Math.round(silentFor / 1000)} s ago` };
}

/** Circuit breaker states, as channel senders record them. */
export const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];
