import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

const PERIOD = Duration.minutes(5);

/**
 * Vigil watching itself: any dead letter, any function error or throttle, and API 5xx raise an
 * alarm on the `operations` topic (alarm and recovery).
 */
export function createAlarms(
  scope: Construct,
  target: ITopic,
  parts: { queues: Queue[]; functions: Map<string, IFunction>; api: HttpApi },
): void {
  const action = new SnsAction(target);
  const alarm = (id: string, metric: IMetric, threshold: number, description: string) => {
    const a = new Alarm(scope, id, {
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    a.addAlarmAction(action);
    a.addOkAction(action);
  };
  for (const queue of parts.queues) {
    const id = queue.node.id;
    alarm(
      `Alarm-${id}`,
      queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      1,
      `${id} holds dead letters: a job run or notification failed for good`,
    );
  }
  for (const [name, fn] of parts.functions) {
    alarm(`Errors-${name}`, fn.metricErrors({ period: PERIOD }), 1, `Vigil function ${name} is failing`);
    alarm(
      `Throttles-${name}`,
      fn.metricThrottles({ period: PERIOD }),
      1,
      `Vigil function ${name} is throttled`,
    );
  }
  alarm('Api5xx', parts.api.metricServerError({ period: PERIOD }), 5, 'The Vigil API answers 5xx');
}
