import { type Level, type LogQuery, type LogRecord, levelRank, matchesQuery } from '@vigil/core/logs';
import type { TableStore } from '@vigil/core/ports';
import { chunkRecords } from './chunk-read';
import { padKey } from './chunks';

/**
 * Live tail follows arrival order, not record time: each ingest write takes the next number
 * from a counter once its chunks are stored and records an arrival item naming them, so a
 * tail resuming from a position misses no record, whatever its timestamp.
 */

/** One ingest write in arrival order: the chunks it stored, for live tail. */
export interface Arrival {
  seq: number;
  /** Wall-clock ms when it was recorded, to tell a slow writer from a failed one. */
  at: number;
  chunks: Array<{
    id: string;
    service: string;
    level: Level;
    source: string;
    count: number;
    format?: 2 | 3;
    base?: number;
    /** Its newest record's time (ms), which keys its index item. */
    maxT?: number;
  }>;
}

export const SEQ_KEY = { PK: 'LOGSEQ', SK: 'SEQ' };
/** Arrivals per partition of the tail's sort order. */
export const TAIL_PARTITION = 1000;
/** How long a tail can resume from an old position. */
export const TAIL_KEEP_SECONDS = 86_400;
/**
 * A missing arrival number followed by a later one is a write still in flight; after this long
 * it is taken for a write that failed (its request got an error) and the tail moves past it.
 */
export const TAIL_GAP_GRACE_MS = 10_000;

/**
 * A tail position: every record up to and including (seq, chunk, line) was seen. Written
 * `seq` (the whole arrival) or `seq.chunk.line`.
 */
export interface TailPosition {
  seq: number;
  chunk: number;
  line: number;
}

export const formatTailPosition = (p: TailPosition) =>
  p.chunk === Number.MAX_SAFE_INTEGER ? String(p.seq) : `${p.seq}.${p.chunk}.${p.line}`;

/** Parses a position this store formatted; undefined when it is not one. */
export function parseTailPosition(text: string): TailPosition | undefined {
  const m = /^(\d{1,15})(?:\.(\d{1,6})\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return undefined;
  return m[2] === undefined
    ? { seq: Number(m[1]), chunk: Number.MAX_SAFE_INTEGER, line: 0 }
    : { seq: Number(m[1]), chunk: Number(m[2]), line: Number(m[3]) };
}

/** The arrivals of a partition from number `seq` on. */
export async function arrivalsFrom(table: TableStore, part: number, seq: number): Promise<Arrival[]> {
  const out: Arrival[] = [];
  let cursor: string | null = null;
  do {
    const page = await table.query({ pk: `LOGTAIL#${part}`, sk: { gte: padKey(seq) }, cursor, limit: 1000 });
    out.push(...(page.items as unknown as Arrival[]));
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/**
 * Records that arrived after `after`, in arrival order, matching the query's filters (its
 * time window is not applied: a tail shows whatever arrives, late timestamps included).
 * Stops before an arrival number still in flight so nothing is passed over, and after whole
 * arrivals once `limit` records are found; `position` is where the next read continues.
 * `after` undefined means from now on.
 */
export async function readTail(
  table: TableStore,
  q: LogQuery,
  after: TailPosition | undefined,
  limit = 5000,
): Promise<{ records: Array<{ id: string; record: LogRecord }>; position: TailPosition }> {
  const latest = Number((await table.get(SEQ_KEY, { consistent: true }))?.seq ?? 0);
  const end = Number.MAX_SAFE_INTEGER;
  if (!after) return { records: [], position: { seq: latest, chunk: end, line: 0 } };
  let position = after;
  const records: Array<{ id: string; record: LogRecord }> = [];
  const open = { ...q, start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY };
  const first = after.chunk === end ? after.seq + 1 : after.seq;
  if (first > latest) return { records, position };
  const arrivals: Arrival[] = [];
  for (let part = Math.floor(first / TAIL_PARTITION); part <= Math.floor(latest / TAIL_PARTITION); part++)
    arrivals.push(...(await arrivalsFrom(table, part, first)));
  let expected = first;
  for (const arrival of arrivals) {
    if (records.length >= limit) break;
    if (arrival.seq > expected && Date.now() - Number(arrival.at) < TAIL_GAP_GRACE_MS) break;
    const wanted = arrival.chunks
      .map((c, i) => ({ ...c, i }))
      .filter(
        (c) =>
          (!q.services || q.services.includes(c.service)) &&
          (!q.level || levelRank(c.level) >= levelRank(q.level)) &&
          !(arrival.seq === after.seq && c.i < after.chunk),
      );
    const data = new Map(
      (await table.batchGet(wanted.map((c) => ({ PK: `LOGCHUNK#${c.id}`, SK: 'CHUNK' })))).map((i) => [
        String(i.PK).slice('LOGCHUNK#'.length),
        i.data as Uint8Array | undefined,
      ]),
    );
    for (const c of wanted) {
      const bytes = data.get(c.id);
      if (!bytes) continue;
      chunkRecords(bytes, c).forEach((record, n) => {
        if (arrival.seq === after.seq && c.i === after.chunk && n <= after.line) return;
        if (!matchesQuery(record, open)) return;
        records.push({ id: `${arrival.seq}.${c.i}.${n}`, record });
      });
    }
    position = { seq: arrival.seq, chunk: end, line: 0 };
    expected = arrival.seq + 1;
  }
  return { records, position };
}
