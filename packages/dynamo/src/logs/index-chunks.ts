import { ConflictError } from '@vigil/core';
import type { Item, TableStore } from '@vigil/core/ports';
import { chunkFilterInput } from './chunk-read';
import { type ChunkIndex, chunkFilters, chunkIndexOf, DEFAULT_RETENTION_DAYS, padKey } from './chunks';
import { type Arrival, arrivalsFrom, SEQ_KEY, TAIL_GAP_GRACE_MS, TAIL_PARTITION } from './tail';

/** The last arrival whose chunks the index-logs job has done. */
export const INDEXED_KEY = { PK: 'LOGINDEXED', SK: 'SEQ' };
/** Chunks indexed side by side. */
const PARALLEL = 16;
/** How far back in arrivals a first run looks. */
const FIRST_RUN_ARRIVALS = 10 * TAIL_PARTITION;
/**
 * A chunk written longer ago than this is left to the compaction job, which rewrites every
 * chunk ingest wrote (with its filter) once no tail can need it (after a day); this job never
 * touches a chunk compaction may be replacing.
 */
export const INDEX_GIVE_UP_MS = 12 * 3_600_000;

export interface LogIndexing {
  /** Chunks given their token filter and block table. */
  indexed: number;
  /** Chunks passed over: gone, already indexed, or left to compaction. */
  dropped: number;
  /** Whether arrivals were left for the next run (the deadline came first). */
  more: boolean;
}

/**
 * Gives the chunks ingest wrote without a token filter (to keep ingest fast) their filter and
 * block table, in arrival order (the order live tail follows), until `deadline` (ms, wall
 * clock); it finds them by their arrivals, so ingest writes nothing more for it. Until then a
 * search reads such a chunk whole. A chunk's data and record order never change here, so a
 * tail or search reading it meanwhile sees the same records. Like a tail, it stops before an
 * arrival number still in flight; a run cut short does again what it had not saved: indexing
 * is idempotent.
 */
export async function indexLogChunks(
  table: TableStore,
  now: number,
  deadline = Number.POSITIVE_INFINITY,
): Promise<LogIndexing> {
  const out: LogIndexing = { indexed: 0, dropped: 0, more: false };
  const [done, counter] = await Promise.all([
    table.get(INDEXED_KEY, { consistent: true }),
    table.get(SEQ_KEY, { consistent: true }),
  ]);
  const latest = Number(counter?.seq ?? 0);
  const start = done ? Number(done.seq) : Math.max(0, latest - FIRST_RUN_ARRIVALS);
  let position = start;
  try {
    reading: for (
      let part = Math.floor((start + 1) / TAIL_PARTITION);
      part <= latest / TAIL_PARTITION;
      part++
    ) {
      const arrivals = await arrivalsFrom(table, part, position + 1);
      for (let i = 0; i < arrivals.length; ) {
        if (Date.now() >= deadline) {
          out.more = true;
          break reading;
        }
        // The next arrivals holding up to PARALLEL chunks, done side by side (each chunk waits
        // mostly on its reads and writes); none past a number still in flight.
        const batch: Arrival[] = [];
        let chunks = 0;
        let expected = position + 1;
        while (i < arrivals.length && (!batch.length || chunks + arrivals[i].chunks.length <= PARALLEL)) {
          const arrival = arrivals[i];
          if (arrival.seq > expected && Date.now() - Number(arrival.at) < TAIL_GAP_GRACE_MS) break;
          batch.push(arrival);
          chunks += arrival.chunks.length;
          expected = arrival.seq + 1;
          i++;
        }
        if (!batch.length) break reading;
        const done = await Promise.all(
          batch.flatMap((arrival) =>
            arrival.chunks.map((c) =>
              c.maxT === undefined ? false : indexOne(table, c.id, c.service, c.maxT, now),
            ),
          ),
        );
        for (const indexed of done) indexed ? out.indexed++ : out.dropped++;
        position = batch[batch.length - 1].seq;
      }
    }
  } finally {
    if (position !== start) await table.put({ ...INDEXED_KEY, seq: position });
  }
  return out;
}

/** Adds the filter of a chunk ingest wrote; false when there is nothing (left) to do. */
async function indexOne(
  table: TableStore,
  id: string,
  service: string,
  maxT: number,
  now: number,
): Promise<boolean> {
  const [item, chunk] = await Promise.all([
    table.get({ PK: `LOGIDX#${service}`, SK: `${padKey(maxT)}#${id}` }, { consistent: true }),
    table.get({ PK: `LOGCHUNK#${id}`, SK: 'CHUNK' }, { consistent: true }),
  ]);
  if (!item || !chunk?.data || item.filter !== undefined) return false;
  if (Number(item.writtenAt ?? 0) < now - INDEX_GIVE_UP_MS) return false;
  const index: ChunkIndex = chunkIndexOf(item);
  if (index.format !== 3) return false;
  const filters = chunkFilters(chunkFilterInput(chunk.data as Uint8Array, index), index.base ?? 0);
  try {
    // Only while the item is still there: a chunk deleted meanwhile (retention) stays deleted.
    await table.put({ ...item, ...filters } as Item, { condition: { kind: 'exists' } });
    // A retention set meanwhile re-dated the item this put overwrote: date it again. (The
    // setting is stored before items are re-dated, so it is seen here if this put came last.)
    const retention = await table.get({ PK: 'LOGRETENTION', SK: service }, { consistent: true });
    const days = retention ? Number(retention.days) : DEFAULT_RETENTION_DAYS;
    const expiresAt = Math.floor((maxT + days * 86_400_000) / 1000);
    if (item.expiresAt !== expiresAt) {
      await table.put({ ...item, ...filters, expiresAt } as Item, { condition: { kind: 'exists' } });
    }
  } catch (e) {
    if (e instanceof ConflictError) return false;
    throw e;
  }
  return true;
}
