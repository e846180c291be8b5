import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { FieldError } from '@vigil/core';
import { normalizeLevel } from '@vigil/core/logs';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { cloudWatchService, cloudWatchToRecords } from '../http/logs/formats';
import { platform } from '../platform/context';
import { logger } from '../platform/observability';
import { type EmfOutcome, emfOf, parseEmfLine, storeEmf } from './emf';
import { ingestRecords } from './ingest';

/** UTF-16 units per stored piece of a long line: at most 60 KB in UTF-8, under the message limit. */
const PIECE = 20_000;

/** A text in pieces of at most PIECE units, never splitting a surrogate pair. */
function pieces(text: string): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + PIECE);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    out.push(text.slice(at, end));
    at = end;
  }
  return out.length ? out : [''];
}

/**
 * What stands in for a log event its parsed form could not be stored as (a line over the
 * message limit, a JSON line whose timestamp, service or field count is refused): its text as
 * sent at the event's time, in pieces when long, with the reason. Nobody can send a
 * subscription's event again, so it is kept rather than dropped.
 */
function asSent(
  payload: CloudWatchLogsDecodedData,
  record: unknown,
  index: number,
  errors: FieldError[],
): unknown[] {
  const e = payload.logEvents[index];
  const parsedLevel = (record as { level?: unknown } | undefined)?.level;
  const parts = pieces(e.message.trimEnd());
  return parts.map((message, i) => ({
    timestamp: e.timestamp,
    level: (parsedLevel !== undefined && normalizeLevel(parsedLevel)) || 'info',
    service: cloudWatchService(payload.logGroup),
    source: 'cloudwatch',
    message,
    attributes: {
      logGroup: payload.logGroup,
      logStream: payload.logStream,
      eventId: e.id,
      ingestError: errors.map((x) => `${x.field.replace(/^\d+\./, '')}: ${x.message}`).join('; '),
      ...(parts.length > 1 ? { part: i + 1, parts: parts.length } : {}),
    },
  }));
}

/** How long a delivery is remembered: CloudWatch Logs retries a destination for up to 24 hours. */
const DELIVERY_KEEP_SECONDS = 2 * 86_400;

interface Outcome {
  accepted: number;
  rejected: number;
  metrics?: EmfOutcome;
  /** The same delivery came before (a Lambda or CloudWatch Logs retry): nothing stored twice. */
  duplicate?: true;
}

/**
 * CloudWatch Logs subscription target: decodes base64 gzip `awslogs.data` and stores the
 * events; lines in Embedded Metric Format (Powertools Metrics) also become metrics. Deliveries
 * are at least once, so each is remembered by its log events' ids, and each step (logs, then
 * metrics) is marked done once it is: a delivery again, or a retry after a later step failed,
 * does not store records twice.
 */
export async function handler(event: CloudWatchLogsEvent): Promise<Outcome> {
  const payload: CloudWatchLogsDecodedData = JSON.parse(
    gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'),
  );
  // Its own log group subscribed to it would feed itself (each run logs START, END, REPORT).
  if (payload.logGroup && payload.logGroup === process.env.AWS_LAMBDA_LOG_GROUP_NAME) {
    logger.warn('Ignoring events of this function own log group: remove its subscription filter', {
      logGroup: payload.logGroup,
    });
    return { accepted: 0, rejected: 0 };
  }
  const records = cloudWatchToRecords(payload);
  if (!records.length) return { accepted: 0, rejected: 0 };
  const { tables, clock } = platform();
  const now = clock.now();
  const events = payload.logEvents;
  const ids = createHash('sha256').update(payload.logGroup).update('\n').update(payload.logStream);
  for (const e of events) ids.update(`\n${e.id}`);
  const key = { PK: `LOGDELIVERY#${ids.digest('hex')}`, SK: 'CLOUDWATCH' };
  const seen = await tables.logs.get(key, { consistent: true });
  const expiresAt = Math.floor(now / 1000) + DELIVERY_KEEP_SECONDS;

  let outcome: Outcome;
  if (seen?.logs) outcome = JSON.parse(String(seen.logs));
  else {
    const result = await ingestRecords(records, now, {}, (i, errors) =>
      asSent(payload, records[i], i, errors),
    );
    if (result.rejected)
      logger.warn('CloudWatch log events rejected', { rejected: result.rejected, first: result.errors[0] });
    outcome = { accepted: result.accepted, rejected: result.rejected };
    await tables.logs.put({ ...key, logs: JSON.stringify(outcome), expiresAt });
  }
  if (seen?.metrics) {
    const metrics: EmfOutcome | null = JSON.parse(String(seen.metrics));
    return { ...outcome, ...(metrics ? { metrics } : {}), duplicate: true };
  }
  const emf = emfOf(
    events.map((e) => parseEmfLine(e.message)),
    (i) => events[i].timestamp,
  );
  const metrics = await storeEmf(emf, now);
  await tables.logs.increment(key, {}, { metrics: JSON.stringify(metrics ?? null), expiresAt });
  return { ...outcome, ...(metrics ? { metrics } : {}), ...(seen ? { duplicate: true as const } : {}) };
}
