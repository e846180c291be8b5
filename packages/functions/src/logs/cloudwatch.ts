import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { cloudWatchToRecords } from '../http/logs/formats';
import { platform } from '../platform/context';
import { logger } from '../platform/observability';
import { type EmfOutcome, emfOf, parseEmfLine, storeEmf } from './emf';
import { ingestRecords } from './ingest';

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
    const result = await ingestRecords(records, now);
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
