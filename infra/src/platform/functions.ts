import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { type FunctionRow, tableEnv, topicEnv } from '../manifest';
import { KEY_ACTIONS, LOG_ACTIONS, SECRET_ACTIONS, secretEnv, TABLE_ACTIONS, TOPIC_ACTIONS } from './iam';

/** The banner that lets ESM bundles load CommonJS dependencies that call `require`. */
export const ESM_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** esbuild options of every function (bench/bundles.ts bundles with the same). */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  minify: true,
  sourceMap: true,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: ESM_BANNER,
  forceDockerBundling: false,
  // The nodejs22.x runtime ships AWS SDK v3.
  externalModules: ['@aws-sdk/*'],
};

/** What a function needs from the rest of the platform. */
export interface FunctionContext {
  root: string;
  stage: string;
  logLevel: string;
  tables: Map<string, Table>;
  topics: Map<string, Topic>;
  key: IKey;
  /** SSM parameter name per secret; defaults to `/vigil/<stage>/<secret>`. */
  secretParameters: Record<string, string>;
  /** Extra plain (non-secret) environment shared by every function. */
  environment: Record<string, string>;
  /** A new KMS-encrypted dead-letter queue (encrypted with `key`). */
  deadLetterQueue: (name: string) => IQueue;
}

/**
 * Jobs, channels and log subscribers are invoked asynchronously (by Scheduler, SNS and
 * CloudWatch Logs): a run that still fails after Lambda's retries lands in the function's
 * dead-letter queue. Route groups and the authorizer are invoked synchronously; their caller
 * sees the error.
 */
export const isAsync = (row: FunctionRow) =>
  row.kind === 'job' || row.kind === 'channel' || row.kind === 'log-subscriber';

/** The SSM parameter a secret is read from. */
export function secretParameter(ctx: Pick<FunctionContext, 'stage' | 'secretParameters'>, secret: string) {
  return ctx.secretParameters[secret] ?? `/vigil/${ctx.stage}/${secret}`;
}

/**
 * One Lambda for a manifest row: its own role holding exactly the row's table actions, topic
 * publishes and secrets (plus its log group and X-Ray), its environment, and its log group.
 */
export function createFunction(scope: Construct, row: FunctionRow, ctx: FunctionContext): NodejsFunction {
  const stack = Stack.of(scope);
  const logGroup = new LogGroup(scope, `Logs-${row.name}`, {
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new Role(scope, `Role-${row.name}`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Vigil ${row.kind} ${row.name}: only what its manifest row declares`,
  });
  role.addToPolicy(new PolicyStatement({ actions: LOG_ACTIONS, resources: [logGroup.logGroupArn] }));

  const environment: Record<string, string> = {
    ...ctx.environment,
    POWERTOOLS_SERVICE_NAME: `vigil-${row.name}`,
    POWERTOOLS_METRICS_NAMESPACE: 'Vigil',
    VIGIL_LOG_LEVEL: ctx.logLevel,
    NODE_OPTIONS: '--enable-source-maps',
  };
  for (const [name, access] of Object.entries(row.tables)) {
    const table = ctx.tables.get(name);
    if (!table || !access) throw new Error(`function ${row.name} names unknown table ${name}`);
    environment[tableEnv(name)] = table.tableName;
    role.addToPolicy(
      new PolicyStatement({
        actions: TABLE_ACTIONS[access],
        resources: [table.tableArn, `${table.tableArn}/index/*`],
      }),
    );
  }
  for (const name of row.publishes) {
    const topic = ctx.topics.get(name);
    if (!topic) throw new Error(`function ${row.name} publishes to unknown topic ${name}`);
    environment[topicEnv(name)] = topic.topicArn;
    role.addToPolicy(new PolicyStatement({ actions: TOPIC_ACTIONS, resources: [topic.topicArn] }));
  }
  const deadLetterQueue = isAsync(row) ? ctx.deadLetterQueue(`function-${row.name}`) : undefined;
  // (Lambda adds sqs:SendMessage on that queue itself; the queue's key is granted below.)
  if (row.publishes.length || deadLetterQueue)
    role.addToPolicy(new PolicyStatement({ actions: KEY_ACTIONS, resources: [ctx.key.keyArn] }));
  for (const secret of row.secrets ?? []) {
    const parameter = secretParameter(ctx, secret);
    // Only the parameter's name is in the environment; the function reads the value at run time.
    environment[secretEnv(secret)] = parameter;
    role.addToPolicy(
      new PolicyStatement({
        actions: SECRET_ACTIONS,
        resources: [
          stack.formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: parameter.replace(/^\//, ''),
          }),
        ],
      }),
    );
  }

  return new NodejsFunction(scope, `Fn-${row.name}`, {
    description: `Vigil ${row.kind} ${row.name}`,
    entry: join(ctx.root, row.entry),
    handler: 'handler',
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: row.memoryMb ?? 512,
    timeout: Duration.seconds(row.timeoutSeconds ?? (isAsync(row) ? 60 : 29)),
    tracing: Tracing.ACTIVE,
    role,
    logGroup,
    environment,
    reservedConcurrentExecutions: row.singleton ? 1 : undefined,
    deadLetterQueue,
    // A job run still queued after 5 minutes (e.g. throttled behind a singleton's previous run)
    // is stale: it is dead-lettered (and alarmed on) rather than run late.
    maxEventAge: row.kind === 'job' ? Duration.minutes(5) : undefined,
    depsLockFilePath: join(ctx.root, 'package-lock.json'),
    projectRoot: ctx.root,
    bundling: BUNDLING,
  });
}
