import type { TableAccess } from '../manifest';

/**
 * The DynamoDB actions each declared access level grants, on the table and its indexes; nothing
 * else is ever granted (no Scan, no DescribeTable: the table stores never call them).
 */
export const TABLE_ACTIONS: Record<TableAccess, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
  readwrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
};

/**
 * What publishing to a topic grants: the publish itself, and reading the topic's attributes,
 * which is how the readiness check (`/health/ready`) proves the topic is reachable.
 */
export const TOPIC_ACTIONS = ['sns:Publish', 'sns:GetTopicAttributes'];

/** Using the topics' customer-managed key, which SNS needs of every publisher. */
export const KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

/** Writing the function's own log streams (instead of the managed AWSLambdaBasicExecutionRole). */
export const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/** Reading one secret at run time. */
export const SECRET_ACTIONS = ['ssm:GetParameter'];

/** The environment variable naming the SSM parameter of a declared secret. */
export function secretEnv(secret: string): string {
  return `VIGIL_SECRET_${secret.toUpperCase().replace(/\W/g, '_')}_PARAMETER`;
}
