import { CircuitBreaker, type DeliveryResult } from '@vigil/channels';
import { UnavailableError } from '@vigil/core';
import type { WebhookPayload } from '@vigil/core/alerting';
import { type Receiver, receiverRepository } from '@vigil/dynamo';
import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import { platform } from '../platform/context';
import { logger } from '../platform/observability';

const DAY_S = 86_400;
/** A send still marked in progress after this long was interrupted and may be taken over. */
const STALE_SENDING_MS = 120_000;

export type Sender = (
  receiver: Receiver,
  payload: WebhookPayload,
  record: SNSEventRecord,
) => Promise<DeliveryResult>;

/**
 * Builds an SNS-subscribed channel Lambda. Each record is delivered independently (one broken
 * receiver never holds up another), deduplicated by its `notificationId` so an SNS redelivery
 * never sends twice, guarded by the receiver's circuit breaker, and a failure is rethrown so
 * SNS/Lambda retries and finally dead-letters it.
 */
export function createChannelHandler(channel: string, send: Sender) {
  return async function handler(event: SNSEvent): Promise<void> {
    const results = await Promise.allSettled(
      (event.Records ?? []).map((record) => deliver(channel, send, record)),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length)
      throw new AggregateError(
        failed.map((f) => f.reason),
        `${failed.length} of ${results.length} ${channel} deliveries failed: ${failed.map((f) => f.reason?.message).join('; ')}`,
      );
  };
}

async function deliver(channel: string, send: Sender, record: SNSEventRecord): Promise<void> {
  const p = platform();
  const attributes = record.Sns.MessageAttributes ?? {};
  const receiverName = attributes.receiver?.Value;
  const notificationId = attributes.notificationId?.Value ?? record.Sns.MessageId;
  const receiver = receiverName ? await receiverRepository(p.tables.state).get(receiverName) : undefined;
  if (!receiver) {
    logger.warn('notification for an unknown receiver dropped', { receiver: receiverName, channel });
    return;
  }
  const key = { PK: `DELIVERY#${notificationId}#${channel}#${receiver.name}`, SK: 'DELIVERY' };
  const now = p.clock.now();
  try {
    await p.tables.state.put(
      { ...key, state: 'sending', at: now, expiresAt: Math.floor(now / 1000) + DAY_S },
      { condition: { kind: 'notExists' } },
    );
  } catch {
    const existing = await p.tables.state.get(key, { consistent: true });
    if (existing?.state === 'sent' || (existing && now - Number(existing.at) < STALE_SENDING_MS)) {
      logger.info('duplicate notification skipped', { notificationId, receiver: receiver.name });
      return;
    }
    await p.tables.state.put({
      ...key,
      state: 'sending',
      at: now,
      expiresAt: Math.floor(now / 1000) + DAY_S,
    });
  }
  const circuit = new CircuitBreaker(p.tables.state);
  if (!(await circuit.allow(receiver.name, now))) {
    await p.tables.state.delete(key);
    throw new UnavailableError(`circuit open for receiver ${receiver.name}`);
  }
  const payload = JSON.parse(record.Sns.Message) as WebhookPayload;
  const result = await send(receiver, payload, record);
  if (result.ok) {
    await circuit.success(receiver.name);
    await p.tables.state.put({
      ...key,
      state: 'sent',
      at: now,
      status: result.status,
      expiresAt: Math.floor(now / 1000) + DAY_S,
    });
    return;
  }
  const state = await circuit.failure(receiver.name, p.clock.now());
  await p.tables.state.delete(key);
  logger.warn('notification delivery failed', {
    receiver: receiver.name,
    channel,
    error: result.error,
    attempts: result.attempts,
    circuit: state.state,
  });
  if (!result.retryable) return; // A 4xx will not get better by retrying.
  throw new Error(`${channel} delivery to ${receiver.name} failed: ${result.error}`);
}

export const allowPrivateTargets = () => platform().env.VIGIL_ALLOW_PRIVATE_TARGETS === '1';
