import { checkTarget, pagerDutyEvent, postWithRetry } from '@vigil/channels';
import { allowPrivateTargets, createChannelHandler } from './toolkit';

const EVENTS_API = 'https://events.pagerduty.com/v2/enqueue';

/** PagerDuty Events API v2: trigger while firing, resolve when resolved, dedup_key = group key. */
export const handler = createChannelHandler('pagerduty', async (receiver, payload) => {
  const url = checkTarget(receiver.url ?? EVENTS_API, allowPrivateTargets()).toString();
  return postWithRetry(url, JSON.stringify(pagerDutyEvent(payload, receiver.routingKey ?? '')), {});
});
