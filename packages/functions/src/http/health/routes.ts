import { type CheckResult, overallStatus } from '@vigil/core/health';
import { platform } from '../../platform/context';
import { route } from '../toolkit/index';
import type { Reply } from '../toolkit/types';
import { circuitChecks, jobChecks, seedCheck, tableChecks, topicChecks } from './checks';

const DETAILED_CACHE_MS = 5_000;
let detailedCache: { at: number; reply: Reply } | undefined;

/** A health document (status pass/warn/fail and its checks); 503 with Retry-After when failing. */
function verdict(checks: CheckResult[], extra: Record<string, unknown> = {}): Reply {
  const status = overallStatus(checks);
  const failing = status === 'fail';
  return {
    status: failing ? 503 : 200,
    headers: { 'cache-control': 'no-store', ...(failing && { 'retry-after': '5' }) },
    body: { status, checks, ...extra },
  };
}

/** /health/* — liveness, readiness, startup and the detailed view. */
export const healthRoutes = {
  'GET /health/live': route({
    handle: () => ({ body: { status: 'pass' }, headers: { 'cache-control': 'no-store' } }),
  }),

  'GET /health/ready': route({
    handle: async () => {
      const p = platform();
      return verdict(await Promise.all([timedState(p), ...topicChecks(p).slice(0, 1)]));
    },
  }),

  'GET /health/startup': route({
    handle: async () => {
      const p = platform();
      return verdict(await Promise.all([...tableChecks(p), seedCheck(p)]));
    },
  }),

  'GET /health/detailed': route({
    handle: async ({ now }) => {
      if (detailedCache && now - detailedCache.at < DETAILED_CACHE_MS && now >= detailedCache.at)
        return detailedCache.reply;
      const p = platform();
      const [tables, topics, jobs, circuits] = await Promise.all([
        Promise.all(tableChecks(p)),
        Promise.all(topicChecks(p)),
        jobChecks(p),
        circuitChecks(p),
      ]);
      const reply = verdict([...tables, ...topics, ...jobs, ...circuits], {
        checkedAt: new Date(now).toISOString(),
        cachedForMs: DETAILED_CACHE_MS,
      });
      detailedCache = { at: now, reply };
      return reply;
    },
  }),
};

/** Readiness needs only the state table: it holds the keys every request is authorised by. */
function timedState(p: ReturnType<typeof platform>): Promise<CheckResult> {
  return tableChecks(p)[0];
}
