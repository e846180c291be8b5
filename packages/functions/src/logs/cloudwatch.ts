import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { cloudWatchToRecords } from '../http/logs/formats';
import { platform } from '../platform/context';
import { logger } from '../platform/observability';
import { type EmfOutcome, emfOf, parseEmfLine, storeEmf } from './emf';
import { ingestRecords } from './ingest';

/**
 * CloudWatch Logs subscription target: decodes base64 gzip `awslogs.data` and stores the
 * events; lines in Embedded Metric Format (Powertools Metrics) also become metrics.
 */
export async function handler(
  event: CloudWatchLogsEvent,
): Promise<{ accepted: number; rejected: number; metrics?: EmfOutcome }> {
  const payload: CloudWatchLogsDecodedData = JSON.parse(
    gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'),
  );
  const records = cloudWatchToRecords(payload);
  if (!records.length) return { accepted: 0, rejected: 0 };
  const now = platform().clock.now();
  const events = payload.logEvents;
  const emf = emfOf(
    events.map((e) => parseEmfLine(e.message)),
    (i) => events[i].timestamp,
  );
  const result = await ingestRecords(records, now);
  if (result.rejected)
    logger.warn('CloudWatch log events rejected', { rejected: result.rejected, first: result.errors[0] });
  const metrics = await storeEmf(emf, now);
  return { accepted: result.accepted, rejected: result.rejected, ...(metrics ? { metrics } : {}) };
}
