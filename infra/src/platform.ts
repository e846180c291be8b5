import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, type HttpMethod, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, type IFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { type ITopic, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  manifest as defaultManifest,
  type FunctionRow,
  type Manifest,
  routeKey,
  tableEnv,
  topicEnv,
} from './manifest';
import { TABLE_ACTIONS } from './platform/iam';
import { StaticSite } from './platform/static-site';

export interface VigilPlatformProps {
  /** The platform as data; defaults to the real manifest (tests pass altered copies). */
  manifest?: Manifest;
  /** `prod` keeps tables on delete and protects them; anything else is disposable. */
  stage: string;
  /** Addresses subscribed to email notifications, each with an optional extra filter. */
  emailSubscriptions?: Array<{ address: string; filterPolicy?: Record<string, string[]> }>;
  /** Origin allowed by CORS (the dashboard's URL); defaults to the static site's. */
  dashboardOrigin?: string;
  /** SSM parameter names of secrets (Slack webhook URLs, PagerDuty keys), by secret name. */
  secretParameters?: Record<string, string>;
  /** Requests per second across the API, and its burst. */
  throttle?: { rate: number; burst: number };
  logLevel?: string;
  /** Where the function sources live (the repository root). */
  root?: string;
}

/**
 * Vigil on AWS, built entirely from the manifest: tables, topics, one Lambda per route group,
 * job and channel, the HTTP API with its authorizer, schedules, subscriptions, dead-letter
 * queues, alarms and the dashboard. Adding a row to the manifest adds its resources here.
 */
export class VigilPlatform extends Construct {
  readonly api: HttpApi;
  readonly functions = new Map<string, NodejsFunction>();
  readonly tables = new Map<string, Table>();
  readonly topics = new Map<string, Topic>();

  constructor(scope: Construct, id: string, props: VigilPlatformProps) {
    super(scope, id);
    const m = props.manifest ?? defaultManifest;
    const prod = props.stage === 'prod';
    const root = props.root ?? join(new URL('../..', import.meta.url).pathname);

    for (const row of m.tables) {
      const table = new Table(this, `Table-${row.name}`, {
        partitionKey: { name: row.partitionKey, type: AttributeType.STRING },
        sortKey: { name: row.sortKey, type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: row.ttlAttribute,
        encryption: TableEncryption.AWS_MANAGED,
        deletionProtection: prod,
        removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      for (const index of row.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
          sortKey: { name: index.sortKey, type: AttributeType.STRING },
        });
      }
      this.tables.set(row.name, table);
    }

    const key = new Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts Vigil notification topics and queues',
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [
          new ServicePrincipal('cloudwatch.amazonaws.com'),
          new ServicePrincipal('sns.amazonaws.com'),
        ],
        resources: ['*'],
      }),
    );
    for (const row of m.topics)
      this.topics.set(
        row.name,
        new Topic(this, `Topic-${row.name}`, {
          masterKey: key,
          displayName: `Vigil ${row.name}`,
          enforceSSL: true,
        }),
      );
    const operations = this.topics.get('operations') as ITopic;
    const dlqs: Queue[] = [];
    const deadLetterQueue = (name: string) => {
      const q = new Queue(this, `Dlq-${name}`, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: key,
        retentionPeriod: Duration.days(14),
        enforceSSL: true,
      });
      dlqs.push(q);
      return q;
    };

    for (const row of m.functions) this.functions.set(row.name, this.lambda(row, props, root));

    // HTTP API: one integration per route, the authorizer on every keyed route.
    const authorizerFn = this.functions.get('authorizer');
    const authorizer = authorizerFn
      ? new HttpLambdaAuthorizer('ApiKeyAuthorizer', authorizerFn, {
          responseTypes: [HttpLambdaResponseType.SIMPLE],
          identitySource: [],
          resultsCacheTtl: Duration.seconds(0),
        })
      : undefined;
    this.api = new HttpApi(this, 'Api', {
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.dashboardOrigin ?? '*'],
        allowHeaders: [
          'authorization',
          'content-type',
          'x-api-key',
          'idempotency-key',
          'if-match',
          'x-request-id',
        ],
        allowMethods: [CorsHttpMethod.ANY],
        exposeHeaders: ['etag', 'x-request-id', 'retry-after'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: { rateLimit: props.throttle?.rate ?? 200, burstLimit: props.throttle?.burst ?? 400 },
    });
    const cfnStage = stage.node.defaultChild as import('aws-cdk-lib/aws-apigatewayv2').CfnStage;
    cfnStage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        error: '$context.error.message',
        authorizerError: '$context.authorizer.error',
      }),
    };
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of m.routes) {
      const fn = this.functions.get(route.function) as IFunction;
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`Integration-${route.function}`, fn);
        integrations.set(route.function, integration);
      }
      this.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration,
        authorizer: route.scope === 'none' ? undefined : authorizer,
      });
      if (route.rateLimit)
        cfnStage.routeSettings = {
          ...(cfnStage.routeSettings as object),
          [routeKey(route)]: {
            throttlingRateLimit: route.rateLimit,
            throttlingBurstLimit: route.rateLimit * 2,
          },
        };
    }

    // Schedules: EventBridge Scheduler, flexible window off, retries, then a dead-letter queue.
    for (const row of m.schedules) {
      const fn = this.functions.get(row.function) as NodejsFunction;
      const dlq = deadLetterQueue(`schedule-${row.name}`);
      const role = new Role(this, `SchedulerRole-${row.name}`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      });
      role.addToPolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
      );
      role.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [dlq.queueArn] }));
      key.grant(role, 'kms:GenerateDataKey*', 'kms:Decrypt');
      new CfnSchedule(this, `Schedule-${row.name}`, {
        scheduleExpression: row.expression,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        description: row.description,
        target: {
          arn: fn.functionArn,
          roleArn: role.roleArn,
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 300 },
          deadLetterConfig: { arn: dlq.queueArn },
          input: JSON.stringify({
            version: '0',
            id: '<aws.scheduler.execution-id>',
            'detail-type': 'Scheduled Event',
            source: 'aws.scheduler',
            time: '<aws.scheduler.scheduled-time>',
            resources: ['<aws.scheduler.schedule-arn>'],
            detail: {},
          }),
        },
      });
    }

    // Subscriptions with their filter policies; every Lambda subscriber has a dead-letter queue.
    for (const sub of m.subscriptions) {
      const topic = this.topics.get(sub.topic) as Topic;
      const filterPolicy = Object.fromEntries(
        Object.entries(sub.filterPolicy).map(([k, v]) => [
          k,
          SubscriptionFilter.stringFilter({ allowlist: v as string[] }),
        ]),
      );
      if (sub.protocol === 'lambda') {
        topic.addSubscription(
          new LambdaSubscription(this.functions.get(sub.function ?? '') as NodejsFunction, {
            filterPolicy,
            deadLetterQueue: deadLetterQueue(`subscription-${sub.name}`),
          }),
        );
      } else {
        for (const email of props.emailSubscriptions ?? []) {
          const extra = Object.fromEntries(
            Object.entries(email.filterPolicy ?? {}).map(([k, v]) => [
              k,
              SubscriptionFilter.stringFilter({ allowlist: v }),
            ]),
          );
          topic.addSubscription(
            new EmailSubscription(email.address, { filterPolicy: { ...filterPolicy, ...extra } }),
          );
        }
      }
    }

    // Alarms that page the operators of Vigil itself.
    const alarmAction = new SnsAction(operations);
    for (const [i, q] of dlqs.entries()) {
      new Alarm(this, `DlqAlarm-${i}`, {
        metric: q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: 'Notifications or job runs are dead-lettering',
      }).addAlarmAction(alarmAction);
    }
    for (const [name, fn] of this.functions) {
      new Alarm(this, `Errors-${name}`, {
        metric: fn.metricErrors({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `${name} is failing`,
      }).addAlarmAction(alarmAction);
      new Alarm(this, `Throttles-${name}`, {
        metric: fn.metricThrottles({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `${name} is throttled`,
      }).addAlarmAction(alarmAction);
    }
    new Alarm(this, 'Api5xx', {
      metric: this.api.metricServerError({ period: Duration.minutes(5) }),
      threshold: 5,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: 'The API answers 5xx',
    }).addAlarmAction(alarmAction);

    const site = new StaticSite(this, 'Dashboard', {
      distDir: join(root, 'packages/web/dist'),
      apiUrl: `${this.api.apiEndpoint}/`,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'DashboardUrl', { value: site.url });
  }

  private lambda(row: FunctionRow, props: VigilPlatformProps, root: string): NodejsFunction {
    const logGroup = new LogGroup(this, `Logs-${row.name}`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const environment: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: `vigil-${row.name}`,
      POWERTOOLS_METRICS_NAMESPACE: 'Vigil',
      VIGIL_LOG_LEVEL: props.logLevel ?? 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    };
    for (const table of Object.keys(row.tables))
      environment[tableEnv(table)] = (this.tables.get(table) as Table).tableName;
    for (const topic of row.publishes)
      environment[topicEnv(topic)] = (this.topics.get(topic) as Topic).topicArn;
    for (const secret of row.secrets ?? [])
      environment[`VIGIL_SECRET_${secret.toUpperCase().replace(/\W/g, '_')}_PARAMETER`] =
        props.secretParameters?.[secret] ?? `/vigil/${props.stage}/${secret}`;
    const fn = new NodejsFunction(this, `Fn-${row.name}`, {
      entry: join(root, row.entry),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: row.memoryMb ?? 512,
      timeout: Duration.seconds(
        row.timeoutSeconds ?? (row.kind === 'http' || row.kind === 'authorizer' ? 29 : 60),
      ),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment,
      reservedConcurrentExecutions: row.singleton ? 1 : undefined,
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        forceDockerBundling: false,
        externalModules: ['@aws-sdk/*'],
      },
    });
    // Least privilege: exactly the table actions and topics the manifest row declares.
    for (const [table, access] of Object.entries(row.tables)) {
      const t = this.tables.get(table) as Table;
      fn.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: TABLE_ACTIONS[access],
          resources: [t.tableArn, `${t.tableArn}/index/*`],
        }),
      );
    }
    for (const topic of row.publishes)
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['sns:Publish'],
          resources: [(this.topics.get(topic) as Topic).topicArn],
        }),
      );
    if (row.publishes.length)
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    for (const secret of row.secrets ?? []) {
      const name = props.secretParameters?.[secret] ?? `/vigil/${props.stage}/${secret}`;
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['ssm:GetParameter'],
          resources: [
            Stack.of(this).formatArn({
              service: 'ssm',
              resource: 'parameter',
              resourceName: name.replace(/^\//, ''),
            }),
          ],
        }),
      );
    }
    return fn;
  }
}
