import { flushDueGroups } from '../alerting/pipeline';
import { evaluateRules } from '../alerting/rules';
import { createJobHandler } from './toolkit';

/**
 * Every minute: evaluate the alerting rules, then flush every alert group whose timer is due
 * (so group timers resolve to at most one minute).
 */
export const handler = createJobHandler('evaluate-alerts', async ({ platform }) => {
  const now = platform.clock.now();
  const rules = await evaluateRules(platform, now);
  const flushed = await flushDueGroups(platform, now);
  return { ...rules, flushed };
});
