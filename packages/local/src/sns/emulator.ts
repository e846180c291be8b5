import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@vigil/core';
import { UnavailableError } from '@vigil/core';
import type { AttributeValue, Publisher, PublishInput } from '@vigil/core/ports';
import { RECIPIENTS_ATTRIBUTE, type SubscriptionRow } from '@vigil/infra/manifest';
import type { AnyHandler } from '../handlers';
import type { Mailer } from './email';
import { matchesFilterPolicy } from './filter-policy';

/** A message as the emulator saw it published. */
export interface PublishedMessage {
  messageId: string;
  topic: string;
  subject?: string;
  /** The raw `Message` as SNS would carry it (JSON text when structured). */
  message: string;
  structured: boolean;
  attributes: Record<string, AttributeValue>;
  at: number;
  /** Subscriptions whose filter policy matched. */
  deliveredTo: string[];
}

/** A delivery that failed every attempt. */
export interface DeadLetter {
  subscription: string;
  messageId: string;
  error: string;
  attempts: number;
}

const LAMBDA_ATTEMPTS = 3;

/**
 * Amazon SNS for the local runtime: publish fans out to every subscription of the topic whose
 * filter policy matches the message attributes. Lambda subscribers get the real SNS event and
 * are retried like asynchronous invocations (3 attempts), then dead-lettered; email
 * subscriptions get the `email` text (or the message) by SMTP or as `.eml` files.
 */
export class SnsEmulator implements Publisher {
  readonly messages: PublishedMessage[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private readonly pending = new Set<Promise<void>>();
  available = true;

  constructor(
    private readonly subscriptions: SubscriptionRow[],
    private readonly handlers: Map<string, AnyHandler>,
    private readonly mailer: Mailer,
    private readonly options: {
      clock: Clock;
      dataDir: string;
      emailTo: string[];
      retryDelayMs?: number;
      onError?: (message: string, error: unknown) => void;
    },
  ) {}

  async publish(input: PublishInput): Promise<{ messageId: string }> {
    if (!this.available) throw new UnavailableError(`topic ${input.topic} is unavailable`);
    const structured = typeof input.message !== 'string';
    if (structured && typeof (input.message as { default?: string }).default !== 'string') {
      throw new Error('a structured SNS message needs a "default" text');
    }
    const messageId = randomUUID();
    const published: PublishedMessage = {
      messageId,
      topic: input.topic,
      subject: input.subject,
      message: structured ? JSON.stringify(input.message) : (input.message as string),
      structured,
      attributes: input.attributes ?? {},
      at: this.options.clock.now(),
      deliveredTo: [],
    };
    this.messages.push(published);
    for (const subscription of this.subscriptions) {
      if (
        subscription.topic !== input.topic ||
        !matchesFilterPolicy(subscription.filterPolicy, published.attributes)
      )
        continue;
      published.deliveredTo.push(subscription.name);
      this.track(this.deliver(subscription, published, input));
    }
    return { messageId };
  }

  async check(topic: string): Promise<void> {
    if (!this.available) throw new UnavailableError(`topic ${topic} is unavailable`);
  }

  /** Resolves once every delivery started so far (and any they caused) has finished. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    delivery.finally(() => this.pending.delete(delivery));
  }

  private async deliver(
    subscription: SubscriptionRow,
    message: PublishedMessage,
    input: PublishInput,
  ): Promise<void> {
    // SNS delivers asynchronously: never inside the publisher's call stack.
    await new Promise((resolve) => setImmediate(resolve));
    if (subscription.protocol === 'email') return this.deliverEmail(subscription, message, input);
    const handler = subscription.function ? this.handlers.get(subscription.function) : undefined;
    if (!handler)
      return this.deadLetter(subscription, message, new Error(`no function ${subscription.function}`), 0);
    // With MessageStructure json, SNS hands a Lambda its `lambda` text, else `default`.
    const text =
      typeof input.message === 'string' ? input.message : (input.message.lambda ?? input.message.default);
    const event = snsEvent(subscription, { ...message, message: text }, this.options.clock.now());
    let lastError: unknown;
    for (let attempt = 1; attempt <= LAMBDA_ATTEMPTS; attempt++) {
      try {
        await handler(event, { awsRequestId: randomUUID(), functionName: subscription.function });
        return;
      } catch (error) {
        lastError = error;
        if (attempt < LAMBDA_ATTEMPTS)
          await new Promise((r) => setTimeout(r, (this.options.retryDelayMs ?? 50) * attempt));
      }
    }
    this.deadLetter(subscription, message, lastError, LAMBDA_ATTEMPTS);
  }

  private async deliverEmail(
    subscription: SubscriptionRow,
    message: PublishedMessage,
    input: PublishInput,
  ): Promise<void> {
    const text =
      typeof input.message === 'string' ? input.message : (input.message.email ?? input.message.default);
    try {
      // As on AWS, where each subscribed address filters on the attribute: a receiver's `to`
      // decides; without it, the default recipients (VIGIL_EMAIL_TO) get the message.
      const recipients = message.attributes[RECIPIENTS_ATTRIBUTE];
      await this.mailer.send({
        to: Array.isArray(recipients) && recipients.length ? recipients : this.options.emailTo,
        subject: message.subject ?? 'Vigil notification',
        text,
        // A structured message's `html` key maps to no SNS protocol (AWS ignores it); locally
        // it becomes the email's HTML part, as an SES sender would send it.
        html: typeof input.message === 'string' ? undefined : input.message.html,
        id: message.messageId,
      });
    } catch (error) {
      this.deadLetter(subscription, message, error, 1);
    }
  }

  private deadLetter(
    subscription: SubscriptionRow,
    message: PublishedMessage,
    error: unknown,
    attempts: number,
  ): void {
    const letter = {
      subscription: subscription.name,
      messageId: message.messageId,
      error: String((error as Error)?.message ?? error),
      attempts,
    };
    this.deadLetters.push(letter);
    this.options.onError?.(`delivery to ${subscription.name} dead-lettered`, error);
    const dir = join(this.options.dataDir, 'dead-letters', subscription.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${message.messageId}.json`), JSON.stringify({ ...letter, message }, null, 2));
  }
}

/** The SNS → Lambda event, as AWS builds it. */
export function snsEvent(subscription: SubscriptionRow, message: PublishedMessage, now: number) {
  const topicArn = `arn:aws:sns:local:000000000000:vigil-${message.topic}`;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:${subscription.name}`,
        Sns: {
          Type: 'Notification',
          MessageId: message.messageId,
          TopicArn: topicArn,
          Subject: message.subject ?? null,
          Message: message.message,
          Timestamp: new Date(now).toISOString(),
          SignatureVersion: '1',
          Signature: 'local',
          SigningCertUrl: 'https://localhost/local.pem',
          UnsubscribeUrl: 'https://localhost/unsubscribe',
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([name, value]) => [
              name,
              Array.isArray(value)
                ? { Type: 'String.Array', Value: JSON.stringify(value) }
                : typeof value === 'number'
                  ? { Type: 'Number', Value: String(value) }
                  : { Type: 'String', Value: value },
            ]),
          ),
        },
      },
    ],
  };
}
