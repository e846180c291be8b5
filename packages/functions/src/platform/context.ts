import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '@vigil/core';
import type { Publisher, TableStore, Tables } from '@vigil/core/ports';
import { createDocumentClient, DynamoTableStore } from '@vigil/dynamo';
import { manifest, tableEnv } from '@vigil/infra/manifest';
import { tracer } from './observability';
import { SnsPublisher } from './sns-publisher';

/** Observes every finished HTTP request (Vigil's own request metrics and usage analytics). */
export type RequestObserver = (request: {
  routeKey: string;
  status: number;
  durationMs: number;
  keyId?: string;
  at: number;
}) => Promise<void> | void;

/**
 * The adapters a handler works with, built once per process (Lambda container or local
 * runtime). On AWS they come from the environment the manifest defines; the local runtime
 * overrides the clock and publisher with `configurePlatform` before it serves.
 */
export interface Platform {
  clock: Clock;
  tables: Tables;
  publisher: Publisher;
  /** Read by handlers for feature switches the local runtime sets (private webhook targets). */
  env: Record<string, string | undefined>;
  requestObservers: RequestObserver[];
}

/** Vigil's own request metrics; set by the insight module (avoids an import cycle). */
let observer: RequestObserver | undefined;
export function setRequestObserver(o: RequestObserver): void {
  observer = o;
}

const systemClock: Clock = { now: () => Date.now() };
let current: Platform | undefined;
let overrides: Partial<Platform> = {};

/** The process-wide adapters. */
export function platform(): Platform {
  current ??= { ...fromEnvironment(), ...overrides };
  return current;
}

/** Replaces adapters (local runtime, tests). Call before handlers run. */
export function configurePlatform(next: Partial<Platform>): void {
  overrides = { ...overrides, ...next };
  current = current ? { ...current, ...next } : undefined;
}

/** Forgets the built adapters, so the next platform() reads the environment again. */
export function resetPlatform(): void {
  current = undefined;
  overrides = {};
}

function fromEnvironment(): Platform {
  const endpoint = process.env.VIGIL_DYNAMODB_ENDPOINT;
  const config = {
    ...(endpoint && { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    region: process.env.AWS_REGION ?? 'local',
    // Generous: a starved event loop (a busy laptop, a loaded CI machine) must not turn into failed jobs.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000 },
  };
  // X-Ray subsegments per DynamoDB call on Lambda; a no-op where tracing is off.
  const client = tracer.captureAWSv3Client(createDocumentClient(config));
  const tables = Object.fromEntries(
    manifest.tables.map((row) => [
      row.name,
      new DynamoTableStore(row.name, process.env[tableEnv(row.name)] ?? `vigil-${row.name}`, client),
    ]),
  ) as unknown as Tables;
  return {
    clock: systemClock,
    tables,
    publisher: new SnsPublisher(),
    env: process.env,
    requestObservers: [(r) => observer?.(r)],
  };
}

/** A bare DynamoDB client for checks that need table metadata. */
export function dynamoClientFromEnv(): DynamoDBClient {
  const endpoint = process.env.VIGIL_DYNAMODB_ENDPOINT;
  return new DynamoDBClient({
    ...(endpoint && { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    region: process.env.AWS_REGION ?? 'local',
    maxAttempts: 1,
  });
}

export type { TableStore, Tables };
