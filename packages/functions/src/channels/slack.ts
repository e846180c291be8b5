import { checkTarget, postWithRetry, slackMessage } from '@vigil/channels';
import { platform } from '../platform/context';
import { allowPrivateTargets, createChannelHandler } from './toolkit';

/** Slack incoming webhooks, in Block Kit. */
export const handler = createChannelHandler('slack', async (receiver, payload) => {
  const url = checkTarget(receiver.url ?? '', allowPrivateTargets()).toString();
  return postWithRetry(
    url,
    JSON.stringify(slackMessage(payload, platform().env.VIGIL_DASHBOARD_URL ?? '')),
    {},
  );
});
