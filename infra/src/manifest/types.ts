/**
 * The shapes of the platform-as-data. Plain types only: the manifest is read by CDK, by the
 * local runtime and by tests, and must pull none of them in.
 */

/** API key scopes; `admin` implies every other. */
export const SCOPES = ['ingest', 'read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** The logical tables of Vigil. */
export type TableName = 'state' | 'metrics' | 'logs';
/** The logical SNS topics of Vigil. */
export type TopicName = 'notifications' | 'operations';

export interface IndexRow {
  name: 'GSI1' | 'GSI2';
  partitionKey: string;
  sortKey: string;
}

export interface TableRow {
  name: TableName;
  partitionKey: 'PK';
  sortKey: 'SK';
  indexes: IndexRow[];
  /** Epoch-seconds attribute DynamoDB TTL deletes by (and the local sweeper honours). */
  ttlAttribute: 'expiresAt';
  /** What lives there, for humans reading the manifest. */
  description: string;
}

/** Table access a function may have; IAM is derived from it and nothing else. */
export type TableAccess = 'read' | 'write' | 'readwrite';

export interface FunctionRow {
  /** Unique name; route groups (`query`), jobs (`evaluate-alerts`), channels (`slack`). */
  name: string;
  /**
   * `log-subscriber`: a destination for CloudWatch Logs subscription filters; CloudWatch Logs
   * of the stack's own account and region may invoke it (asynchronously, like jobs and channels).
   */
  kind: 'authorizer' | 'http' | 'job' | 'channel' | 'log-subscriber';
  /** Source file relative to the repository root; it exports `handler`. */
  entry: string;
  tables: Partial<Record<TableName, TableAccess>>;
  publishes: TopicName[];
  /** Secrets (SSM parameter names under /vigil/<stage>/) the function may read at run time. */
  secrets?: string[];
  memoryMb?: number;
  timeoutSeconds?: number;
  /** Jobs that must never overlap get a reserved concurrency of 1. */
  singleton?: boolean;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRow {
  method: HttpMethod;
  /** API Gateway path, with `{name}` parameters. */
  path: string;
  /** The FunctionRow (kind http) that serves it. */
  function: string;
  /** The scope a key needs; `none` routes take no key at all. */
  scope: Scope | 'none';
  /** Largest accepted request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Serves server-sent events when the client can take them (local runtime and function URLs). */
  streaming?: boolean;
  /** Requests per second for this route (API Gateway throttling); default from the stage. */
  rateLimit?: number;
  summary: string;
}

export interface ScheduleRow {
  name: string;
  /** AWS `rate()` or `cron()` expression, UTC. */
  expression: string;
  /** The FunctionRow (kind job) it invokes. */
  function: string;
  description: string;
}

/** SNS filter policy on message attributes (AWS syntax). */
export type FilterPolicy = Record<string, unknown>;

export interface SubscriptionRow {
  name: string;
  topic: TopicName;
  protocol: 'lambda' | 'email';
  /** The FunctionRow (kind channel) for lambda subscriptions. */
  function?: string;
  filterPolicy: FilterPolicy;
}

export interface TopicRow {
  name: TopicName;
  description: string;
}

export interface Manifest {
  tables: TableRow[];
  topics: TopicRow[];
  functions: FunctionRow[];
  routes: RouteRow[];
  schedules: ScheduleRow[];
  subscriptions: SubscriptionRow[];
}

/** What one domain contributes to the manifest; `manifest.ts` concatenates them. */
export type ManifestPart = Partial<Omit<Manifest, 'tables' | 'topics'>>;
