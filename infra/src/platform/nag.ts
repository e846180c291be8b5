import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

/**
 * The cdk-nag AwsSolutions findings Vigil accepts, each with the reason. Everything else must
 * be fixed, not suppressed.
 */
export function applySuppressions(stack: Stack): void {
  NagSuppressions.addStackSuppressions(stack, [
    {
      id: 'AwsSolutions-IAM4',
      reason:
        'Lambda functions use AWSLambdaBasicExecutionRole only to write their own log streams; all data access is granted by explicit, resource-scoped statements.',
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'Wildcards are limited to: DynamoDB index ARNs of a table the function declares (<table>/index/*), X-Ray trace writes (AWS offers no resource scoping), KMS data-key generation restricted by kms:ViaService to SNS, and CDK-managed custom-resource roles.',
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        'Functions run nodejs22.x, the newest runtime the deployment tooling (SST v2 / aws-cdk-lib 2.224) supports; CDK-managed custom resources pick their own runtime.',
    },
    {
      id: 'AwsSolutions-CFR1',
      reason:
        'The dashboard is meant to be reachable from wherever on-call engineers are; no geo restriction.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'A WAF costs a fixed monthly fee; the dashboard is a static build and every API call is authorised by key. Teams can attach a web ACL in their own account.',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate cannot enforce TLSv1.2_2021; a custom domain with that policy can be added per deployment.',
    },
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'Every keyed route uses the Lambda authorizer; /health/live is deliberately open so load balancers and uptime checks can probe liveness without a key.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        'CloudFront access logs for the static dashboard are optional and cost extra; API Gateway access logs are kept.',
    },
    {
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the static dashboard build, served through CloudFront; S3 server access logs would add cost without security value.',
    },
    { id: 'AwsSolutions-SQS3', reason: 'These queues are dead-letter queues themselves.' },
  ]);
}
