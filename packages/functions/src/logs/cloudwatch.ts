import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { cloudWatchToRecords } from '../http/logs/formats';
import { platform } from '../platform/context';
import { logger } from '../platform/observability';
import { ingestRecords } from './ingest';

/** CloudWatch Logs subscription target: decodes base64 gzip `awslogs.data` and stores the events. */
export async function handler(event: CloudWatchLogsEvent): Promise<{ accepted: number; rejected: number }> {
  const payload = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
  const records = cloudWatchToRecords(payload);
  if (!records.length) return { accepted: 0, rejected: 0 };
  const result = await ingestRecords(records, platform().clock.now());
  if (result.rejected)
    logger.warn('CloudWatch log events rejected', { rejected: result.rejected, first: result.errors[0] });
  return { accepted: result.accepted, rejected: result.rejected };
}
