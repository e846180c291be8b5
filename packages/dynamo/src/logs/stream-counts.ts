import type { Item, TableStore } from '@vigil/core/ports';

const DAY = 86_400_000;
/** Records and bytes ever written per stream: they never go down (daily log-volume snapshots). */
export const STREAM_TOTALS_PK = 'LOGSTREAMS';
/**
 * Records and bytes per stream per UTC day of its chunks' newest record, each item expiring
 * with the last of that day's chunks (day end + the service's retention), so the sum over a
 * stream's days is what is kept.
 */
export const STREAM_DAYS_PK = 'LOGSTREAMDAYS';

/** A stream (service + level + source) and what it holds. */
export interface StreamCount {
  service: string;
  level: string;
  source: string;
  records: number;
  bytes: number;
  /** The newest record's time (ISO-8601). */
  newest: string;
}

/** What one write added to a stream: one entry per chunk. */
export type StreamWrite = StreamCount;

const streamKey = (s: Pick<StreamCount, 'service' | 'level' | 'source'>) =>
  `${s.service}#${s.level}#${s.source}`;
const dayStart = (iso: string) => Math.floor(Date.parse(iso) / DAY) * DAY;
/** When a day's counts expire: at the end of the day plus the retention. */
const dayExpiresAt = (start: number, retentionDays: number) =>
  Math.floor((start + DAY + retentionDays * DAY) / 1000);

interface Counter {
  key: { PK: string; SK: string };
  records: number;
  bytes: number;
  newest: string;
  set: Item;
}

function add(into: Map<string, Counter>, key: { PK: string; SK: string }, w: StreamWrite, set: Item) {
  const c = into.get(key.SK);
  if (!c) into.set(key.SK, { key, records: w.records, bytes: w.bytes, newest: w.newest, set });
  else {
    c.records += w.records;
    c.bytes += w.bytes;
    if (w.newest > c.newest) c.newest = w.newest;
  }
}

/**
 * Counts a write: the stream's totals and its day counters (one increment per stream and per
 * stream-day, not per chunk), in parallel.
 */
export async function countWrites(
  table: TableStore,
  writes: StreamWrite[],
  retentionDays: (service: string) => number,
  now: number,
): Promise<void> {
  const totals = new Map<string, Counter>();
  const days = new Map<string, Counter>();
  for (const w of writes) {
    const stream = streamKey(w);
    add(totals, { PK: STREAM_TOTALS_PK, SK: stream }, w, {});
    const start = dayStart(w.newest);
    const day = new Date(start).toISOString().slice(0, 10);
    add(days, { PK: STREAM_DAYS_PK, SK: `${stream}#${day}` }, w, {
      service: w.service,
      level: w.level,
      source: w.source,
      day,
      expiresAt: dayExpiresAt(start, retentionDays(w.service)),
    });
  }
  await Promise.all(
    [...totals.values(), ...days.values()].map((c) =>
      table.increment(
        c.key,
        { records: c.records, bytes: c.bytes },
        { ...c.set, newest: c.newest, updatedAt: now },
      ),
    ),
  );
}

/**
 * Sums day counters into streams, in key order. With `cutoffOf`, days whose chunks are all
 * past their service's retention (the TTL sweep may not have removed them yet) are left out.
 */
export function sumStreamDays(items: Item[], cutoffOf?: (service: string) => number): StreamCount[] {
  const out = new Map<string, StreamCount>();
  for (const i of items) {
    const service = String(i.service);
    if (cutoffOf && Date.parse(String(i.day)) + DAY <= cutoffOf(service)) continue;
    const key = streamKey({ service, level: String(i.level), source: String(i.source) });
    const s = out.get(key);
    const newest = String(i.newest ?? '');
    if (!s)
      out.set(key, {
        service,
        level: String(i.level),
        source: String(i.source),
        records: Number(i.records ?? 0),
        bytes: Number(i.bytes ?? 0),
        newest,
      });
    else {
      s.records += Number(i.records ?? 0);
      s.bytes += Number(i.bytes ?? 0);
      if (newest > s.newest) s.newest = newest;
    }
  }
  return [...out.values()].filter((s) => s.records > 0);
}

/**
 * Applies a service's new retention to its day counters as `setRetention` does to chunks:
 * days wholly past the window are deleted, the others expire with the new retention.
 */
export async function retainStreamDays(
  table: TableStore,
  items: Item[],
  service: string,
  days: number,
  now: number,
): Promise<void> {
  const cutoff = now - days * DAY;
  const gone: Array<{ PK: string; SK: string }> = [];
  const redate: Array<Promise<unknown>> = [];
  for (const i of items) {
    if (i.service !== service) continue;
    const key = { PK: String(i.PK), SK: String(i.SK) };
    const start = Date.parse(String(i.day));
    if (start + DAY <= cutoff) gone.push(key);
    else {
      const expiresAt = dayExpiresAt(start, days);
      // An update, not a put: a write counting into the same day meanwhile is not lost.
      if (i.expiresAt !== expiresAt) redate.push(table.increment(key, {}, { expiresAt }));
    }
  }
  if (gone.length) await table.batchDelete(gone);
  await Promise.all(redate);
}
