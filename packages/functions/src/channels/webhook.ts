import { checkTarget, postWithRetry, signature } from '@vigil/channels';
import { allowPrivateTargets, createChannelHandler } from './toolkit';

/** Alertmanager's webhook v4 payload, signed with HMAC-SHA256 when the receiver has a secret. */
export const handler = createChannelHandler('webhook', async (receiver, payload, record) => {
  const url = checkTarget(receiver.url ?? '', allowPrivateTargets()).toString();
  const body = record.Sns.Message;
  const timestamp = String(Math.floor(Date.parse(record.Sns.Timestamp) / 1000));
  const headers: Record<string, string> = {
    'x-vigil-timestamp': timestamp,
    'x-vigil-notification': payload.groupKey,
  };
  if (receiver.secret) headers['x-vigil-signature'] = signature(receiver.secret, timestamp, body);
  return postWithRetry(url, body, headers);
});
