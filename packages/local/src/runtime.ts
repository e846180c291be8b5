import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseDuration, type ValidationError } from '@vigil/core';
import { ApiKeyRepository, ensureTables } from '@vigil/dynamo';
import {
  configurePlatform,
  createJobHandler,
  logger,
  platform,
  resetPlatform,
  runSeeds,
} from '@vigil/functions';
import { manifest, type ScheduleRow, tableEnv, topicEnv } from '@vigil/infra/manifest';
import { resolveAdminKey } from './admin-key';
import { RuntimeClock } from './clock';
import { gracefulClose } from './drain';
import { EmbeddedStore } from './embedded-store';
import { type AnyHandler, lambdaContext, loadHandlers, repoRoot } from './handlers';
import type { RequestParts } from './http/event';
import { RouteTable } from './http/router';
import { createGateway } from './http/server';
import { LOG_SUBSCRIPTION_ROUTE, logSubscriptionRoute } from './log-subscription';
import { Scheduler, scheduledEvent } from './scheduler';
import { Mailer } from './sns/email';
import { SnsEmulator } from './sns/emulator';
import { sweepExpired } from './ttl-sweeper';

export interface RuntimeOptions {
  /** HTTP port; 0 picks a free one. Default 8787. */
  port?: number;
  host?: string;
  /** Where the embedded store, admin key, outbox and dead letters live. Default `.vigil`. */
  dataDir?: string;
  /** A fixed admin key (VIGIL_ADMIN_KEY); otherwise generated once and kept in the data dir. */
  adminKey?: string;
  /** VIGIL_TEST_CLOCK=1: the clock stands still and `POST /api/v1/admin/clock` moves it. */
  testClock?: boolean;
  /** VIGIL_ALLOW_PRIVATE_TARGETS=1: webhook targets may be loopback/private (tests). */
  allowPrivateTargets?: boolean;
  /** SMTP URL for email subscriptions; otherwise `.eml` files under `<dataDir>/outbox`. */
  smtpUrl?: string;
  /** Recipients of email subscriptions (VIGIL_EMAIL_TO, comma-separated). */
  emailTo?: string[];
  /** The dashboard build to serve at `/`. Default packages/web/dist. */
  webDir?: string;
  /** Log level of the handlers' structured logs (default WARN locally). */
  logLevel?: string;
  quiet?: boolean;
}

export interface Runtime {
  url: string;
  port: number;
  adminKey: string;
  adminKeySource: 'env' | 'file' | 'generated';
  dataDir: string;
  outbox: string;
  clock: RuntimeClock;
  sns: SnsEmulator;
  store: EmbeddedStore;
  /** Sets the test clock, running every schedule due on the way. */
  setClock(ms: number): Promise<number>;
  /** Advances the test clock by `ms`, running every schedule due on the way. */
  advanceClock(ms: number): Promise<number>;
  /** Runs one job now, by function name. */
  runJob(name: string): Promise<void>;
  /**
   * Invokes a manifest function with an event as its AWS trigger would, e.g. a CloudWatch Logs
   * subscription event (`{ awslogs: { data } }`) for `ingest-cloudwatch-logs`; resolves to its result.
   */
  invoke(name: string, event: unknown): Promise<unknown>;
  /** Deletes items whose TTL passed (by the runtime's clock). */
  sweepTtl(): Promise<number>;
  stop(): Promise<void>;
}

const TTL_SWEEP_MS = 60_000;

/**
 * Starts Vigil on this machine: the embedded store with the manifest's tables, every function
 * of the manifest behind an API Gateway-like HTTP server, the schedules, an SNS emulator and a
 * TTL sweeper. Only one runtime may run per process (handlers share the process's adapters).
 */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const dataDir = resolve(options.dataDir ?? '.vigil');
  mkdirSync(dataDir, { recursive: true });
  const outbox = join(dataDir, 'outbox');
  const clock = new RuntimeClock(Boolean(options.testClock));
  const admin = resolveAdminKey(dataDir, options.adminKey);
  const log = (message: string, error?: unknown) => {
    if (!options.quiet)
      process.stderr.write(`[vigil] ${message}${error ? `: ${(error as Error)?.stack ?? error}` : ''}\n`);
  };

  const store = new EmbeddedStore(dataDir);
  await store.start();
  const tableName = (logical: string) => `vigil-${logical}`;
  Object.assign(process.env, {
    VIGIL_DYNAMODB_ENDPOINT: store.endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'local',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    VIGIL_LOG_LEVEL: options.logLevel ?? process.env.VIGIL_LOG_LEVEL ?? 'WARN',
    VIGIL_ALLOW_PRIVATE_TARGETS: options.allowPrivateTargets
      ? '1'
      : (process.env.VIGIL_ALLOW_PRIVATE_TARGETS ?? ''),
    ...Object.fromEntries(manifest.tables.map((t) => [tableEnv(t.name), tableName(t.name)])),
    ...Object.fromEntries(
      manifest.topics.map((t) => [topicEnv(t.name), `arn:aws:sns:local:000000000000:vigil-${t.name}`]),
    ),
  });
  logger.setLogLevel(
    (options.quiet ? 'SILENT' : (options.logLevel ?? process.env.VIGIL_LOG_LEVEL ?? 'WARN')) as 'WARN',
  );
  const dynamo = () =>
    new DynamoDBClient({
      endpoint: store.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  await ensureTables(dynamo(), manifest.tables, tableName);

  const handlers = await loadHandlers(manifest.functions);
  const sns = new SnsEmulator(manifest.subscriptions, handlers, new Mailer(outbox, options.smtpUrl), {
    clock,
    dataDir,
    emailTo: options.emailTo ?? ['oncall@localhost'],
    onError: log,
  });
  // The store's endpoint changes when it restarts, so adapters are rebuilt from the environment.
  resetPlatform();
  configurePlatform({ clock, publisher: sns, env: process.env });
  const p = platform();
  await new ApiKeyRepository(p.tables.state).bootstrapAdmin(admin.key, clock.now());
  await runSeeds(p);

  const jobs = new Map<string, AnyHandler>(
    manifest.functions.filter((f) => f.kind === 'job').map((f) => [f.name, handlers.get(f.name)!]),
  );
  const invokeJob = async (row: ScheduleRow, at: number) => {
    try {
      await jobs.get(row.function)?.(scheduledEvent(row, at), lambdaContext(row.function, randomUUID()));
    } catch (error) {
      log(`job ${row.function} failed`, error);
    }
    await sns.drain();
  };
  const scheduler = new Scheduler(manifest.schedules, clock, invokeJob);

  const moveClock = async (target: number) => {
    const ran = await scheduler.runUntil(target);
    await sns.drain();
    return ran;
  };
  const localRoutes = new Map<
    string,
    (parts: RequestParts, auth: Record<string, unknown>) => Promise<{ status: number; body: unknown }>
  >();
  if (options.testClock)
    localRoutes.set('POST /api/v1/admin/clock', (parts, auth) => clockRoute(parts, auth, clock, moveClock));
  const subscriber = manifest.functions.find((f) => f.kind === 'log-subscriber');
  if (subscriber)
    localRoutes.set(LOG_SUBSCRIPTION_ROUTE, (parts, auth) =>
      logSubscriptionRoute(parts, auth, (event) =>
        handlers.get(subscriber.name)!(event, lambdaContext(subscriber.name, parts.requestId)),
      ),
    );

  const server = createGateway({
    routes: new RouteTable(manifest.routes),
    handlers,
    now: () => clock.now(),
    webDir: resolve(options.webDir ?? join(repoRoot, 'packages/web/dist')),
    localRoutes,
    onError: log,
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  // stop() lets requests still being answered finish before it closes the store.
  const closeServer = gracefulClose(server);
  scheduler.start();
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweeper = setInterval(() => {
    if (store.running)
      sweeping = sweepExpired(
        dynamo(),
        manifest.tables.map((t) => tableName(t.name)),
        clock,
      ).catch((error) => log('TTL sweep failed', error));
  }, TTL_SWEEP_MS);
  sweeper.unref();

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    adminKey: admin.key,
    adminKeySource: admin.source,
    dataDir,
    outbox,
    clock,
    sns,
    store,
    setClock: moveClock,
    advanceClock: (ms) => moveClock(clock.now() + ms),
    runJob: async (name) => {
      const row = manifest.schedules.find((s) => s.function === name) ?? {
        name,
        function: name,
        expression: 'rate(1 minute)',
        description: name,
      };
      if (!jobs.has(name)) throw new Error(`no job function ${name}`);
      await scheduler.run(row, clock.now());
    },
    invoke: async (name, event) => {
      const handler = handlers.get(name);
      if (!handler) throw new Error(`no function ${name}`);
      try {
        return await handler(event, lambdaContext(name, randomUUID()));
      } finally {
        await sns.drain();
      }
    },
    sweepTtl: () =>
      sweepExpired(
        dynamo(),
        manifest.tables.map((t) => tableName(t.name)),
        clock,
      ),
    stop: async () => {
      clearInterval(sweeper);
      await scheduler.stop();
      await closeServer();
      await sweeping;
      await sns.drain();
      await store.stop();
    },
  };
}

async function clockRoute(
  parts: RequestParts,
  auth: Record<string, unknown>,
  clock: RuntimeClock,
  move: (to: number) => Promise<number>,
): Promise<{ status: number; body: unknown }> {
  const problem = (status: number, detail: string, field?: string) => ({
    status,
    body: {
      type: 'https://vigil.dev/problems/clock',
      title: status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Bad Request',
      status,
      detail,
      errors: field ? [{ field, message: detail }] : [],
    },
  });
  if (!auth.keyId) return problem(401, 'a valid API key is required');
  if (
    !String(auth.scopes ?? '')
      .split(',')
      .includes('admin')
  )
    return problem(403, "this API key lacks the 'admin' scope");
  let body: { now?: unknown; advance?: unknown };
  try {
    body = JSON.parse(parts.body.toString('utf8') || '{}');
  } catch {
    return problem(400, 'the body is not valid JSON', 'body');
  }
  let target: number;
  if (typeof body.now === 'string' || typeof body.now === 'number') {
    target = typeof body.now === 'number' ? body.now : Date.parse(body.now);
    if (!Number.isFinite(target)) return problem(400, `'${body.now}' is not an ISO-8601 time`, 'now');
  } else if (typeof body.advance === 'string') {
    try {
      target = clock.now() + parseDuration(body.advance, 'advance');
    } catch (error) {
      return problem(400, (error as ValidationError).message, 'advance');
    }
  } else {
    return problem(400, 'give "now" (ISO-8601) or "advance" (a duration such as 5m)', 'now');
  }
  const ran = await move(target);
  return { status: 200, body: { now: new Date(clock.now()).toISOString(), schedulesRun: ran } };
}

export { createJobHandler };
