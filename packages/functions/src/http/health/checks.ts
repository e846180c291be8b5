import { type CheckResult, type Heartbeat, heartbeatStatus } from '@vigil/core/health';
import { parseScheduleExpression, periodMs } from '@vigil/core/schedule';
import { manifest } from '@vigil/infra/manifest';
import { heartbeatKey } from '../../jobs/toolkit';
import type { Platform } from '../../platform/context';
import { SEED_MARKER } from '../../platform/seeds';

const CHECK_TIMEOUT_MS = 2_000;
/** When this process started serving: a job that never ran is only late after 3 periods of it. */
const upSince = Date.now();

/** Runs `probe`, timing it; a throw or a timeout is a failed check. */
export async function timed(
  name: string,
  critical: boolean,
  probe: () => Promise<string | undefined | void>,
  extra: Record<string, unknown> = {},
): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return {
      name,
      status: 'pass',
      critical,
      latencyMs: round(performance.now() - started),
      ...(detail && { detail }),
      ...extra,
    };
  } catch (error) {
    return {
      name,
      status: 'fail',
      critical,
      latencyMs: round(performance.now() - started),
      detail: (error as Error).message,
      ...extra,
    };
  } finally {
    clearTimeout(timer);
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Every table answers a read. */
export function tableChecks(p: Platform): Promise<CheckResult>[] {
  return manifest.tables.map((t) =>
    timed(
      `table:${t.name}`,
      true,
      async () => void (await p.tables[t.name].get({ PK: 'HEALTH#probe', SK: 'HEALTH' })),
    ),
  );
}

/** Every topic is reachable. */
export function topicChecks(p: Platform): Promise<CheckResult>[] {
  return manifest.topics.map((t) =>
    timed(`topic:${t.name}`, t.name === 'notifications', () => p.publisher.check(t.name)),
  );
}

/** The defaults (rules, routing, runbooks, SLOs) were seeded. */
export function seedCheck(p: Platform): Promise<CheckResult> {
  return timed('defaults-seeded', true, async () => {
    if (!(await p.tables.state.get(SEED_MARKER))) throw new Error('default content has not been seeded yet');
  });
}

/** One check per scheduled job, from its heartbeat. */
export async function jobChecks(p: Platform): Promise<CheckResult[]> {
  const now = p.clock.now();
  const jobs = [...new Map(manifest.schedules.map((s) => [s.function, s])).values()];
  let beats: Map<string, Heartbeat>;
  try {
    const items = await p.tables.state.batchGet(jobs.map((s) => heartbeatKey(s.function)));
    beats = new Map(items.map((i) => [String(i.job), i as unknown as Heartbeat]));
  } catch (error) {
    return [
      {
        name: 'jobs',
        status: 'fail',
        critical: false,
        detail: `heartbeats unreadable: ${(error as Error).message}`,
      },
    ];
  }
  return jobs.map((s) => {
    const period = Math.min(
      ...manifest.schedules
        .filter((x) => x.function === s.function)
        .map((x) => periodMs(parseScheduleExpression(x.expression), now)),
    );
    const beat = beats.get(s.function);
    const verdict = heartbeatStatus(beat, period, now, Math.min(upSince, now));
    return {
      name: `job:${s.function}`,
      critical: false,
      ...verdict,
      lastSuccessAt: beat?.lastSuccessAt ? new Date(beat.lastSuccessAt).toISOString() : null,
    };
  });
}

/** Circuit breakers of the notification channels, as the senders record them. */
export async function circuitChecks(p: Platform): Promise<CheckResult[]> {
  try {
    const page = await p.tables.state.query({ index: 'GSI1', pk: 'circuit', limit: 200 });
    return page.items.map((i) => {
      const state = String((i.data as { state?: string } | undefined)?.state ?? i.state ?? 'closed');
      const receiver = String((i.data as { receiver?: string } | undefined)?.receiver ?? i.GSI1SK);
      return {
        name: `circuit:${receiver}`,
        critical: false,
        status: state === 'closed' ? 'pass' : state === 'half-open' ? 'warn' : 'fail',
        state,
      } as CheckResult;
    });
  } catch (error) {
    return [{ name: 'circuits', status: 'fail', critical: false, detail: (error as Error).message }];
  }
}
