import type { Stack } from 'aws-cdk-lib';
import { type NagPackSuppression, NagSuppressions } from 'cdk-nag';

/**
 * The cdk-nag findings Vigil accepts, each with its reason. Everything else is fixed, not
 * suppressed; `platform.test.ts` fails on any finding not listed here.
 */
export const SUPPRESSIONS: NagPackSuppression[] = [
  {
    id: 'AwsSolutions-IAM4',
    reason:
      "Only CDK's own dashboard-upload handler uses the AWSLambdaBasicExecutionRole managed policy; every Vigil function has its own role with resource-scoped statements.",
  },
  {
    id: 'AwsSolutions-IAM5',
    reason:
      'Two wildcards only: the index ARNs of a table the function declares (<table>/index/*), and X-Ray trace writes (xray:PutTraceSegments/PutTelemetryRecords support no resource scoping).',
    appliesTo: [{ regex: '/^Resource::<[A-Za-z0-9]+\\.Arn>\\/index\\/\\*$/g' }, 'Resource::*'],
  },
  {
    id: 'AwsSolutions-L1',
    reason:
      'Vigil pins nodejs22.x (LTS) for its functions, the target its bundles are built and tested for; CDK-managed custom resources pick their own runtime.',
  },
  {
    id: 'Serverless-LambdaLatestVersion',
    reason: 'Vigil pins nodejs22.x (LTS), the target its bundles are built and tested for.',
  },
  {
    id: 'Serverless-LambdaDLQ',
    reason:
      'Route groups and the authorizer are invoked synchronously by API Gateway (the caller sees the error; a DLQ never receives anything); jobs and channels, invoked asynchronously, have one.',
  },
  {
    id: 'Serverless-LambdaAsyncFailureDestination',
    reason:
      "Jobs' asynchronous failures (errors after retries, expired events) go to the function's dead-letter queue (DeadLetterConfig), which is alarmed; a second failure destination would duplicate it.",
  },
  {
    id: 'AwsSolutions-SQS3',
    reason: 'These queues are dead-letter queues themselves.',
  },
  {
    id: 'Serverless-SQSRedrivePolicy',
    reason: 'These queues are dead-letter queues themselves; nothing consumes them but an operator.',
  },
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'Every keyed route uses the Lambda authorizer; /health/live is deliberately open so load balancers and uptime checks can probe liveness without a key.',
  },
  {
    id: 'AwsSolutions-CFR1',
    reason: 'The dashboard must be reachable wherever on-call engineers are: no geo restriction.',
  },
  {
    id: 'AwsSolutions-CFR2',
    reason:
      'A WAF web ACL has a fixed monthly fee; the dashboard is a static build and every API call is authorised by key. Teams may attach their own web ACL.',
  },
  {
    id: 'AwsSolutions-CFR3',
    reason:
      'CloudFront access logs of the static dashboard cost extra and add no security value; the API keeps JSON access logs.',
  },
  {
    id: 'AwsSolutions-CFR4',
    reason:
      'The default *.cloudfront.net certificate cannot enforce TLSv1.2_2021; a custom domain with that policy can be added per deployment.',
  },
  {
    id: 'AwsSolutions-S1',
    reason:
      'The bucket holds only the public static dashboard build, served through CloudFront; server access logs would add cost without security value.',
  },
];

/** Applies the accepted findings to the stack. */
export function applySuppressions(stack: Stack): void {
  NagSuppressions.addStackSuppressions(stack, SUPPRESSIONS);
}
