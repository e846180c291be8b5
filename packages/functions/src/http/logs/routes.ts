import { ValidationError } from '@vigil/core';
import { LEVELS, type LogQuery, type LogRecord, parseFieldFilter } from '@vigil/core/logs';
import {
  DEFAULT_RETENTION_DAYS,
  formatTailPosition,
  parseTailPosition,
  type TailPosition,
} from '@vigil/dynamo';
import * as z from 'zod';
import { emfOf, storeEmf } from '../../logs/emf';
import { ingestRecords, LIMITS, logStore } from '../../logs/ingest';
import { idempotent, parseJson, problem, route } from '../toolkit/index';
import type { RouteInput } from '../toolkit/route';
import type { Reply } from '../toolkit/types';
import { lokiPushToRecords, otlpLogsToRecords } from './formats';
import { lokiQueryRoutes } from './loki';

const INGEST_LIMIT = LIMITS.recordsPerRequest;

function parseBatch(text: string, contentType: string): unknown[] {
  const trimmed = text.trim();
  if (!trimmed)
    throw new ValidationError('the body is empty', [
      { field: 'body', message: 'send a JSON array or NDJSON' },
    ]);
  if (
    /ndjson|jsonlines/.test(contentType) ||
    (!trimmed.startsWith('[') && trimmed.includes('\n') && !trimmed.startsWith('{"records"'))
  ) {
    return trimmed
      .split('\n')
      .filter((l) => l.trim())
      .map((l, i) => parseJson(l, `line ${i + 1}`));
  }
  const parsed = parseJson(trimmed);
  if (Array.isArray(parsed)) return parsed;
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { records?: unknown[] }).records))
    return (parsed as { records: unknown[] }).records;
  return [parsed];
}

async function store(
  input: RouteInput<unknown, unknown, unknown>,
  records: unknown[],
  defaults: { service?: string; source?: string; keepRawMessage?: boolean } = {},
): Promise<Reply> {
  if (records.length > INGEST_LIMIT)
    throw new ValidationError(`${records.length} records exceed the limit of ${INGEST_LIMIT} per request`, [
      { field: 'body', message: 'too many records' },
    ]);
  return idempotent(input, async () => {
    // Records in Embedded Metric Format (`_aws`) sent as JSON also become metrics.
    const emf = defaults.source ? [] : emfOf(records, () => input.now);
    const outcome = await ingestRecords(records, input.now, defaults);
    if (!outcome.accepted && outcome.rejected)
      return problem(400, `all ${outcome.rejected} records were rejected`, outcome.errors, {
        accepted: 0,
        rejected: outcome.rejected,
      });
    const metrics = emf.length ? await storeEmf(emf, input.now) : undefined;
    return { body: metrics ? { ...outcome, metrics } : outcome };
  });
}

const Instant = z
  .string()
  .refine((s) => Number.isFinite(Date.parse(s)) || /^\d+(\.\d+)?$/.test(s), 'ISO-8601 or epoch seconds');
const toMs = (s: string) =>
  /^\d+(\.\d+)?$/.test(s) ? (Number(s) < 1e11 ? Number(s) * 1000 : Number(s)) : Date.parse(s);
const SearchQuery = z.object({
  service: z.string().optional(),
  level: z.enum(LEVELS).optional(),
  regex: z.string().max(1000).optional(),
  trace_id: z.string().max(200).optional(),
  request_id: z.string().max(200).optional(),
  start: Instant.optional(),
  end: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(100),
  cursor: z.string().max(200).optional(),
});

/** Builds the search from query parameters (`text` and `field` may repeat). */
export function buildQuery(
  q: z.infer<typeof SearchQuery>,
  params: URLSearchParams,
  now: number,
): { query: LogQuery; ids: string[] } {
  const end = q.end ? toMs(q.end) : now + 60_000;
  const start = q.start ? toMs(q.start) : end - 3_600_000;
  if (start > end)
    throw new ValidationError('start is after end', [{ field: 'start', message: 'must not be after end' }]);
  let regex: RegExp | undefined;
  if (q.regex) {
    try {
      regex = new RegExp(q.regex);
    } catch (error) {
      throw new ValidationError(`invalid regex: ${(error as Error).message}`, [
        { field: 'regex', message: 'invalid regular expression' },
      ]);
    }
  }
  const fields = params.getAll('field').map(parseFieldFilter);
  if (q.trace_id) fields.push({ field: 'trace_id', op: '=', value: q.trace_id });
  if (q.request_id) fields.push({ field: 'request_id', op: '=', value: q.request_id });
  return {
    query: {
      services: q.service ? q.service.split(',') : undefined,
      level: q.level,
      text: params.getAll('text').filter(Boolean),
      regex,
      fields,
      start,
      end,
    },
    ids: [q.trace_id, q.request_id].filter((v): v is string => Boolean(v)),
  };
}

/** Opaque cursor: how many of the newest-first results were already returned. */
const decodeCursor = (c: string | undefined) => {
  if (!c) return 0;
  const n = Number(Buffer.from(c, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0)
    throw new ValidationError('the cursor is not one this API returned', [
      { field: 'cursor', message: 'invalid cursor' },
    ]);
  return n;
};

const view = (r: LogRecord) => r;

/** Logs ingest routes (group `ingest`). */
export const logsIngestRoutes = {
  'POST /api/v1/logs': route({
    rawBody: true,
    handle: (input) => store(input, parseBatch(input.bodyText, input.headers['content-type'] ?? '')),
  }),
  'POST /v1/logs': route({
    rawBody: true,
    handle: (input) => store(input, otlpLogsToRecords(parseJson(input.bodyText)), { source: 'otlp' }),
  }),
  'POST /loki/api/v1/push': route({
    rawBody: true,
    handle: async (input) => {
      if (/protobuf/.test(input.headers['content-type'] ?? ''))
        return problem(415, 'Loki push must be JSON (Content-Type: application/json)', [
          { field: 'content-type', message: 'use application/json' },
        ]);
      const reply = await store(input, lokiPushToRecords(parseJson(input.bodyText)), {
        source: 'loki',
        keepRawMessage: true,
      });
      return reply.status && reply.status >= 400 ? reply : { status: 204 };
    },
  }),
};

/** Log search, histogram, tail, streams and retention (group `query`), plus the Loki query API. */
export const logsQueryRoutes = {
  'GET /api/v1/logs/search': route({
    query: SearchQuery.passthrough(),
    handle: async ({ query, searchParams, now }) => {
      const { query: q, ids } = buildQuery(query, searchParams, now);
      const offset = decodeCursor(query.cursor);
      const { records, total, stats } = await logStore().search(q, ids, now, { offset, limit: query.limit });
      const next =
        offset + query.limit < total ? Buffer.from(String(offset + query.limit)).toString('base64url') : null;
      return { body: { records: records.map(view), nextCursor: next, total, stats } };
    },
  }),
  'GET /api/v1/logs/histogram': route({
    query: SearchQuery.extend({ buckets: z.coerce.number().int().min(1).max(500).default(60) }).passthrough(),
    handle: async ({ query, searchParams, now }) => {
      const { query: q, ids } = buildQuery(query, searchParams, now);
      const { records, stats } = await logStore().search(q, ids, now);
      const width = Math.max(1000, Math.ceil((q.end - q.start) / query.buckets / 1000) * 1000);
      const buckets = new Map<number, Record<string, number>>();
      for (const r of records) {
        const b = Math.floor(Date.parse(r.timestamp) / width) * width;
        const counts = buckets.get(b) ?? Object.fromEntries(LEVELS.map((l) => [l, 0]));
        counts[r.level]++;
        buckets.set(b, counts);
      }
      return {
        body: {
          bucketMs: width,
          buckets: [...buckets.entries()]
            .sort((a, b) => a[0] - b[0])
            .map(([t, counts]) => ({ start: new Date(t).toISOString(), counts })),
          stats,
        },
      };
    },
  }),
  'GET /api/v1/logs/tail': route({
    query: SearchQuery.extend({
      wait: z
        .string()
        .regex(/^\d+(ms|s)$/)
        .optional(),
    }).passthrough(),
    handle: async ({ query, searchParams, headers, now }) => {
      const resumeId = headers['last-event-id'];
      const given = resumeId ?? query.cursor;
      const after = given === undefined ? undefined : parseTailPosition(given);
      if (given !== undefined && !after) {
        const field = resumeId === undefined ? 'cursor' : 'Last-Event-ID';
        throw new ValidationError(`${field} is not a position this API returned`, [
          { field, message: 'invalid position' },
        ]);
      }
      // A tail shows what arrives from now on, whatever its timestamp: no time window.
      const { query: q } = buildQuery({ ...query, start: undefined, end: undefined }, searchParams, now);
      const store = logStore();
      const from = after ?? (await store.tail(q, undefined)).position;
      const read = (position: TailPosition) => store.tail(q, position, query.limit);
      if ((headers.accept ?? '').includes('text/event-stream'))
        return {
          headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
          stream: tail(read, from),
        };
      const waitMs = Math.min(
        20_000,
        query.wait
          ? query.wait.endsWith('ms')
            ? Number.parseInt(query.wait, 10)
            : Number.parseInt(query.wait, 10) * 1000
          : 0,
      );
      const deadline = Date.now() + waitMs;
      let page = await read(from);
      while (!page.records.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, TAIL_POLL_MS));
        page = await read(page.position);
      }
      return {
        body: {
          records: page.records.map((r) => r.record),
          nextCursor: formatTailPosition(page.position),
        },
      };
    },
  }),
  'GET /api/v1/logs/streams': route({
    handle: async ({ now }) => ({ body: { streams: await logStore().streams(now) } }),
  }),
  'GET /api/v1/logs/retention': route({
    handle: async () => ({
      body: { defaultDays: DEFAULT_RETENTION_DAYS, services: await logStore().retention() },
    }),
  }),
  'PUT /api/v1/logs/retention': route({
    body: z.strictObject({
      service: z.string().regex(/^[\w.:-]{1,100}$/),
      days: z.number().int().min(1).max(3650),
    }),
    handle: async ({ body, now }) => {
      const applied = await logStore().setRetention(body.service, body.days, now);
      return { body: { service: body.service, days: body.days, chunksDeleted: applied.deleted } };
    },
  }),
  ...lokiQueryRoutes,
};

const TAIL_POLL_MS = 500;

/**
 * Server-sent events of new records, each with its arrival position as `id` so a client
 * resumes with Last-Event-ID. An `id:` line without data moves the client's position past
 * records that did not match (and at connect, so even a client that saw nothing resumes from
 * where it started); a keep-alive on each poll lets a closed client stop it.
 */
async function* tail(
  read: (
    after: TailPosition,
  ) => Promise<{ records: Array<{ id: string; record: LogRecord }>; position: TailPosition }>,
  from: TailPosition,
): AsyncGenerator<string> {
  let position = from;
  const stopAt = Date.now() + 15 * 60_000;
  yield `retry: 1000\nid: ${formatTailPosition(position)}\n\n`;
  while (Date.now() < stopAt) {
    const page = await read(position);
    for (const { id, record } of page.records) yield `id: ${id}\ndata: ${JSON.stringify(record)}\n\n`;
    const next = formatTailPosition(page.position);
    if (next !== formatTailPosition(position)) yield `id: ${next}\n\n`;
    position = page.position;
    await new Promise((resolve) => setTimeout(resolve, TAIL_POLL_MS));
    yield ': keep-alive\n\n';
  }
}
