import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { manifest as defaultManifest, type Manifest, type TableRow } from './manifest';
import { createAlarms } from './platform/alarms';
import { Api } from './platform/api';
import { createFunction } from './platform/functions';
import { allowLogSubscriptions } from './platform/log-subscribers';
import { type EmailSubscriber, Notifications } from './platform/notifications';
import { createSchedule } from './platform/schedules';
import { StaticSite } from './platform/static-site';

export interface VigilPlatformProps {
  /** The platform as data; defaults to the real manifest (tests pass altered copies). */
  manifest?: Manifest;
  /** `prod` retains and deletion-protects the tables; any other stage is disposable. */
  stage: string;
  /** Addresses subscribed to the manifest's email subscriptions, each with an optional extra filter. */
  emailSubscriptions?: EmailSubscriber[];
  /** Extra CORS origins besides the dashboard's own (e.g. a custom domain). */
  dashboardOrigins?: string[];
  /** SSM parameter names of the secrets rows declare (Slack webhook URL, PagerDuty key), by secret. */
  secretParameters?: Record<string, string>;
  /** Requests per second across the API, and its burst (default 200/400). */
  throttle?: { rate: number; burst: number };
  /** Authorizer result cache in seconds, keyed on `Authorization` (see ApiProps); default 0. */
  authorizerCacheSeconds?: number;
  /** Log level of every function (default INFO). */
  logLevel?: string;
  /** The repository root the manifest's entries are relative to. */
  root?: string;
  /** The dashboard build to upload (default `<root>/packages/web/dist`); skipped when not built. */
  webDist?: string;
}

/**
 * Vigil on AWS, built entirely from the manifest: tables, topics, one Lambda per route group,
 * job, channel and log subscriber, the HTTP API with its authorizer, schedules, subscriptions,
 * CloudWatch Logs' permission to invoke log subscribers, dead-letter queues, alarms and the
 * dashboard. Adding a row to the manifest adds its resources here.
 */
export class VigilPlatform extends Construct {
  readonly manifest: Manifest;
  readonly api: Api;
  readonly site: StaticSite;
  readonly notifications: Notifications;
  readonly tables = new Map<string, Table>();
  readonly functions = new Map<string, NodejsFunction>();
  /** The ARN outputs of the `log-subscriber` functions, by function name. */
  readonly logSubscriptionOutputs = new Map<string, CfnOutput>();
  get topics(): Map<string, Topic> {
    return this.notifications.topics;
  }

  constructor(scope: Construct, id: string, props: VigilPlatformProps) {
    super(scope, id);
    this.manifest = props.manifest ?? defaultManifest;
    const m = this.manifest;
    const root = props.root ?? new URL('../..', import.meta.url).pathname;
    const prod = props.stage === 'prod';

    for (const row of m.tables) this.tables.set(row.name, this.table(row, prod));
    this.notifications = new Notifications(this, 'Notifications', m.topics);
    this.site = new StaticSite(this, 'Dashboard');

    const ctx = {
      root,
      stage: props.stage,
      logLevel: props.logLevel ?? 'INFO',
      tables: this.tables,
      topics: this.notifications.topics,
      key: this.notifications.key,
      secretParameters: props.secretParameters ?? {},
      environment: {
        VIGIL_DASHBOARD_URL: this.site.url,
        VIGIL_EXTERNAL_URL: this.site.url,
        // The addresses email can reach: the receivers API refuses others rather than lose mail.
        ...(props.emailSubscriptions?.length && {
          VIGIL_ALERT_EMAILS: props.emailSubscriptions.map((e) => e.address.toLowerCase()).join(','),
        }),
      },
      deadLetterQueue: (name: string) => this.notifications.deadLetterQueue(name),
    };
    for (const row of m.functions) {
      if (this.functions.has(row.name)) throw new Error(`function ${row.name} is declared twice`);
      this.functions.set(row.name, createFunction(this, row, ctx));
    }
    const functions = this.functions as Map<string, IFunction>;

    this.api = new Api(this, 'Api', {
      routes: m.routes,
      functions,
      origins: [this.site.url, ...(props.dashboardOrigins ?? [])],
      throttle: props.throttle ?? { rate: 200, burst: 400 },
      authorizerCacheSeconds: props.authorizerCacheSeconds ?? 0,
    });

    for (const row of m.schedules) {
      const fn = functions.get(row.function);
      if (!fn) throw new Error(`schedule ${row.name} names unknown function ${row.function}`);
      createSchedule(this, row, fn, this.notifications);
    }
    for (const row of m.subscriptions)
      this.notifications.subscribe(row, functions, props.emailSubscriptions ?? []);
    for (const row of m.functions.filter((f) => f.kind === 'log-subscriber'))
      this.logSubscriptionOutputs.set(row.name, allowLogSubscriptions(this, row, functions.get(row.name)!));

    const operations = this.notifications.topics.get('operations');
    if (operations)
      createAlarms(this, operations, {
        queues: this.notifications.deadLetterQueues,
        functions,
        api: this.api.httpApi,
      });

    const apiUrl = this.api.httpApi.apiEndpoint;
    this.site.deploy(props.webDist ?? `${root}/packages/web/dist`, { apiUrl });
    new CfnOutput(this, 'ApiUrl', { value: apiUrl, description: 'The Vigil API' });
    new CfnOutput(this, 'DashboardUrl', { value: this.site.url, description: 'The Vigil dashboard' });
    for (const [name, url] of this.api.streamingUrls)
      new CfnOutput(this, `StreamingUrl-${name}`, { value: url, description: `SSE function URL of ${name}` });
  }

  /** An on-demand table with TTL, point-in-time recovery, encryption and the row's indexes. */
  private table(row: TableRow, prod: boolean): Table {
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
    for (const index of row.indexes)
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    return table;
  }
}
