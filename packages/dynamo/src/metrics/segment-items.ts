import { randomUUID } from 'node:crypto';
import type { Sample } from '@vigil/core/metrics';
import type { Item } from '@vigil/core/ports';
import { encodeSegment } from './codec';
import { LATE_PK, pad, SEGMENT_RETENTION_MS, WINDOW_MS, windowOf } from './layout';

/** No segment item's payload exceeds this (DynamoDB's item limit is 400 KB). */
export const SEGMENT_MAX_BYTES = 340_000;

/**
 * Segment items of a batch, each encoded under the item limit: a batch whose encoding is too
 * large is halved (by series, or by samples for a single huge series) until every part fits.
 */
export function segmentItems(pk: string, batch: Array<[number, Sample[]]>, now: number): Item[] {
  let minT = Number.POSITIVE_INFINITY;
  let maxT = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (const [, samples] of batch)
    for (const [t] of samples) {
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
      n++;
    }
  const data = encodeSegment({ series: batch });
  if (data.byteLength > SEGMENT_MAX_BYTES && n > 1) {
    const halves: Array<typeof batch> =
      batch.length > 1
        ? [batch.slice(0, batch.length >> 1), batch.slice(batch.length >> 1)]
        : [[[batch[0][0], batch[0][1].slice(0, n >> 1)]], [[batch[0][0], batch[0][1].slice(n >> 1)]]];
    return halves.flatMap((h) => segmentItems(pk, h, now));
  }
  const expires = Math.max(now, pk === LATE_PK ? now : windowOf(minT) + WINDOW_MS) + SEGMENT_RETENTION_MS;
  return [
    { PK: pk, SK: `${pad(now)}#${randomUUID()}`, minT, maxT, n, data, expiresAt: Math.floor(expires / 1000) },
  ];
}
