import { ArnFormat, CfnOutput, Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { FunctionRow } from '../manifest';

/**
 * Lets CloudWatch Logs of this account and region invoke a `log-subscriber` function, so any
 * of the account's log groups can be subscribed to it, and outputs its ARN for
 * `aws logs put-subscription-filter --destination-arn`.
 */
export function allowLogSubscriptions(scope: Construct, row: FunctionRow, fn: IFunction): CfnOutput {
  const stack = Stack.of(scope);
  fn.addPermission(`CloudWatchLogs-${row.name}`, {
    principal: new ServicePrincipal('logs.amazonaws.com'),
    sourceAccount: stack.account,
    sourceArn: stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  });
  return new CfnOutput(scope, `LogSubscriptionArn-${row.name}`, {
    value: fn.functionArn,
    description: `Destination ARN for CloudWatch Logs subscription filters (${row.name})`,
  });
}
