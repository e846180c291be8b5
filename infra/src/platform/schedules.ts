import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import type { ScheduleRow } from '../manifest';
import type { Notifications } from './notifications';

/** The event each job receives: EventBridge's scheduled-event shape, filled in by Scheduler. */
export const SCHEDULED_EVENT = {
  version: '0',
  id: '<aws.scheduler.execution-id>',
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  time: '<aws.scheduler.scheduled-time>',
  resources: ['<aws.scheduler.schedule-arn>'],
  detail: {},
};

/**
 * An EventBridge Scheduler schedule for a manifest row: UTC, flexible window off, two retries
 * within five minutes, then a dead-letter queue. Its role may invoke only that job and write
 * only to that queue.
 */
export function createSchedule(
  scope: Construct,
  row: ScheduleRow,
  fn: IFunction,
  notifications: Notifications,
): CfnSchedule {
  const dlq = notifications.deadLetterQueue(`schedule-${row.name}`);
  const role = new Role(scope, `SchedulerRole-${row.name}`, {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
    description: `Vigil schedule ${row.name}: invokes ${row.function} only`,
  });
  role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
  role.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [dlq.queueArn] }));
  role.addToPolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [notifications.key.keyArn],
    }),
  );
  return new CfnSchedule(scope, `Schedule-${row.name}`, {
    description: row.description,
    scheduleExpression: row.expression,
    scheduleExpressionTimezone: 'UTC',
    flexibleTimeWindow: { mode: 'OFF' },
    state: 'ENABLED',
    target: {
      arn: fn.functionArn,
      roleArn: role.roleArn,
      input: JSON.stringify(SCHEDULED_EVENT),
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 300 },
      deadLetterConfig: { arn: dlq.queueArn },
    },
  });
}
