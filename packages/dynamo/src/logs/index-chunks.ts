import { ConflictError } from '@vigil/core';
import type { Item, TableStore } from '@vigil/core/ports';
import { chunkFilterInput } from './chunk-read';
import { type ChunkIndex, chunkFilters, chunkIndexOf, PENDING_PK, padKey } from './chunks';

/**
 * A pending chunk older than this is left to the compaction job, which rewrites every chunk
 * ingest wrote (with its filter) once no tail can need it (after a day); this job never
 * touches a chunk compaction may be replacing.
 */
export const INDEX_GIVE_UP_MS = 12 * 3_600_000;

export interface LogIndexing {
  /** Chunks given their token filter and block table. */
  indexed: number;
  /** Pending items dropped: their chunk was gone, already indexed, or left to compaction. */
  dropped: number;
  /** Whether pending chunks were left for the next run (the deadline came first). */
  more: boolean;
}

/**
 * Gives the chunks ingest wrote without a token filter (to keep ingest fast) their filter and
 * block table, oldest first, until `deadline` (ms, wall clock). Until then a search reads such
 * a chunk whole; a chunk's data and record order never change here, so a tail or search
 * reading it meanwhile sees the same records. A run cut short leaves its pending items, and
 * the next run does them again: indexing is idempotent.
 */
export async function indexLogChunks(
  table: TableStore,
  now: number,
  deadline = Number.POSITIVE_INFINITY,
): Promise<LogIndexing> {
  const out: LogIndexing = { indexed: 0, dropped: 0, more: false };
  let cursor: string | null = null;
  do {
    const page = await table.query({ pk: PENDING_PK, cursor, limit: 100 });
    for (const pending of page.items) {
      if (Date.now() >= deadline) {
        out.more = true;
        return out;
      }
      if (await indexOne(table, pending, now)) out.indexed++;
      else out.dropped++;
      await table.delete({ PK: PENDING_PK, SK: String(pending.SK) });
    }
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** Adds the filter of a pending chunk; false when there is nothing (left) to do. */
async function indexOne(table: TableStore, pending: Item, now: number): Promise<boolean> {
  if (Number(pending.writtenAt) < now - INDEX_GIVE_UP_MS) return false;
  const sk = String(pending.SK);
  const id = sk.slice(sk.indexOf('#') + 1);
  const key = { PK: `LOGIDX#${pending.service}`, SK: `${padKey(Number(pending.maxT))}#${id}` };
  const [item, chunk] = await Promise.all([
    table.get(key, { consistent: true }),
    table.get({ PK: `LOGCHUNK#${id}`, SK: 'CHUNK' }, { consistent: true }),
  ]);
  if (!item || !chunk?.data || item.filter !== undefined) return false;
  const index: ChunkIndex = chunkIndexOf(item);
  if (index.format !== 3) return false;
  const filters = chunkFilters(chunkFilterInput(chunk.data as Uint8Array, index), index.base ?? 0);
  try {
    // Only while the item is still there: a chunk deleted meanwhile (retention) stays deleted.
    await table.put({ ...item, ...filters }, { condition: { kind: 'exists' } });
  } catch (e) {
    if (e instanceof ConflictError) return false;
    throw e;
  }
  return true;
}
