import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type CfnSubscription, type Subscription, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FilterPolicy, SubscriptionRow, TopicRow } from '../manifest';

/** An address subscribed to email notifications, optionally narrowed by more message attributes. */
export interface EmailSubscriber {
  address: string;
  filterPolicy?: FilterPolicy;
}

/**
 * The notification plumbing: one customer-managed key (rotated) for topics and dead-letter
 * queues, a topic per manifest row, and dead-letter queues on demand.
 */
export class Notifications extends Construct {
  readonly key: Key;
  readonly topics = new Map<string, Topic>();
  /** Every dead-letter queue created, so each gets an alarm. */
  readonly deadLetterQueues: Queue[] = [];

  constructor(scope: Construct, id: string, topics: TopicRow[]) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'Vigil: encrypts the SNS topics and the dead-letter queues',
    });
    // SNS encrypts messages it sends to encrypted dead-letter queues; CloudWatch publishes alarms
    // to the encrypted operations topic. (No aws:SourceAccount condition: CloudWatch's alarm
    // actions do not carry it to KMS, and a silently undelivered alarm is the worst outcome.)
    this.key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [
          new ServicePrincipal('sns.amazonaws.com'),
          new ServicePrincipal('cloudwatch.amazonaws.com'),
        ],
        resources: ['*'],
      }),
    );
    for (const row of topics)
      this.topics.set(
        row.name,
        new Topic(this, `Topic-${row.name}`, {
          displayName: `Vigil ${row.name}`,
          masterKey: this.key,
          enforceSSL: true,
        }),
      );
  }

  /** A KMS-encrypted, SSL-only queue that keeps what failed for 14 days. */
  deadLetterQueue(name: string): Queue {
    const queue = new Queue(this, `Dlq-${name}`, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    this.deadLetterQueues.push(queue);
    return queue;
  }

  /**
   * Subscribes a row: a Lambda channel with a dead-letter queue, or each configured email
   * address. The filter policy is written verbatim (any AWS syntax) on message attributes;
   * an address's own filter narrows the row's.
   */
  subscribe(row: SubscriptionRow, functions: Map<string, IFunction>, emails: EmailSubscriber[]): void {
    const topic = this.topics.get(row.topic);
    if (!topic) throw new Error(`subscription ${row.name} names unknown topic ${row.topic}`);
    if (row.protocol === 'lambda') {
      const fn = functions.get(row.function ?? '');
      if (!fn) throw new Error(`subscription ${row.name} names unknown function ${row.function}`);
      const sub = topic.addSubscription(
        new LambdaSubscription(fn, { deadLetterQueue: this.deadLetterQueue(`subscription-${row.name}`) }),
      );
      setFilterPolicy(sub, row.filterPolicy);
      return;
    }
    const deadLetterQueue = emails.length ? this.deadLetterQueue(`subscription-${row.name}`) : undefined;
    for (const email of emails) {
      const sub = topic.addSubscription(new EmailSubscription(email.address, { deadLetterQueue }));
      setFilterPolicy(sub, { ...row.filterPolicy, ...email.filterPolicy });
    }
  }
}

function setFilterPolicy(sub: Subscription, policy: FilterPolicy): void {
  const cfn = sub.node.defaultChild as CfnSubscription;
  cfn.filterPolicy = policy;
  cfn.filterPolicyScope = 'MessageAttributes';
}
