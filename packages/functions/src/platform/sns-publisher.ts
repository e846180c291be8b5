import { GetTopicAttributesCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { UnavailableError, ValidationError } from '@vigil/core';
import type { Publisher, PublishInput } from '@vigil/core/ports';
import { topicEnv } from '@vigil/infra/manifest';

/** Publishes to the manifest's SNS topics; their ARNs come from the environment. */
export class SnsPublisher implements Publisher {
  private client: SNSClient | undefined;

  async publish(input: PublishInput): Promise<{ messageId: string }> {
    const structured = typeof input.message !== 'string';
    const out = await this.sns().send(
      new PublishCommand({
        TopicArn: this.arn(input.topic),
        Subject: input.subject?.slice(0, 100),
        Message: structured ? JSON.stringify(input.message) : (input.message as string),
        MessageStructure: structured ? 'json' : undefined,
        MessageAttributes: Object.fromEntries(
          Object.entries(input.attributes ?? {}).map(([name, value]) => [
            name,
            Array.isArray(value)
              ? { DataType: 'String.Array', StringValue: JSON.stringify(value) }
              : typeof value === 'number'
                ? { DataType: 'Number', StringValue: String(value) }
                : { DataType: 'String', StringValue: value },
          ]),
        ),
      }),
    );
    return { messageId: out.MessageId ?? '' };
  }

  async check(topic: string): Promise<void> {
    try {
      await this.sns().send(new GetTopicAttributesCommand({ TopicArn: this.arn(topic) }));
    } catch (error) {
      throw new UnavailableError(`topic ${topic} is unreachable`, 5, { cause: error });
    }
  }

  private arn(topic: string): string {
    const arn = process.env[topicEnv(topic)];
    if (!arn)
      throw new ValidationError(`no ARN configured for topic ${topic}`, [
        { field: 'topic', message: 'unknown topic' },
      ]);
    return arn;
  }

  private sns(): SNSClient {
    this.client ??= new SNSClient({ region: process.env.AWS_REGION, maxAttempts: 3 });
    return this.client;
  }
}
