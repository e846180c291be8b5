import { createHash } from 'node:crypto';
import { notificationText, webhookPayload } from '@vigil/core/alerting';
import type { Receiver } from '@vigil/dynamo';
import type { Platform } from '../platform/context';
import { recipientAttributes } from './context';

/** Sends a synthetic firing alert to one receiver through the normal channel path. */
export async function publishTest(platform: Platform, receiver: Receiver, now: number): Promise<string> {
  const at = new Date(now).toISOString();
  const payload = webhookPayload({
    groupKey: `{}/test:{receiver="${receiver.name}"}`,
    receiver: receiver.name,
    groupLabels: { alertname: 'VigilTestNotification' },
    alerts: [
      {
        id: 't',
        fingerprint: 'test',
        labels: { alertname: 'VigilTestNotification', severity: 'info' },
        annotations: { summary: `Test notification for receiver ${receiver.name}` },
        startsAt: at,
        endsAt: new Date(now + 300_000).toISOString(),
        updatedAt: at,
        generatorURL: '',
        source: 'test',
        version: 1,
      },
    ],
    now,
    externalURL: platform.env.VIGIL_EXTERNAL_URL ?? '',
  });
  const { messageId } = await platform.publisher.publish({
    topic: 'notifications',
    subject: `Vigil test notification for ${receiver.name}`,
    message: { default: JSON.stringify(payload), email: notificationText(payload) },
    attributes: {
      severity: 'info',
      receiver: receiver.name,
      channel: receiver.type,
      notificationId: createHash('sha256').update(`test|${receiver.name}|${now}`).digest('hex').slice(0, 32),
      kind: 'test',
      ...recipientAttributes(receiver),
    },
  });
  return messageId;
}
