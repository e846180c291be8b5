import type { LogRecord } from '@vigil/core/logs';
import type { Item, ItemKey, TableStore } from '@vigil/core/ports';
import {
  CHUNK_TEXT_BYTES,
  type ChunkIndex,
  chunkIndexOf,
  chunkRecords,
  DEFAULT_RETENTION_DAYS,
  KEPT_WRITING,
  streamChunks,
} from './chunks';
import { LogStore } from './store';
import { TAIL_KEEP_SECONDS } from './tail';

/** Chunks smaller than this (text bytes) are merged with their stream's neighbours. */
const SMALL_CHUNK_BYTES = CHUNK_TEXT_BYTES / 4;

export interface LogCompaction {
  services: number;
  merged: number;
  written: number;
  /** Chunks written at ingest's faster level, rewritten alone at the level kept chunks have. */
  repacked: number;
}

/** Ingest's chunks (of any format) name their faster level; kept ones name none. */
const repackable = (index: ChunkIndex) => index.packed !== undefined;

/**
 * Merges the small chunks many small ingest requests leave (an OpenTelemetry batch is 512
 * records) into full ones, which compress better and make fewer index items to read, and
 * recompresses at KEPT_QUALITY the chunks ingest wrote at its faster level (in format 3,
 * whatever format they had).
 *
 * Only chunks older than a tail can still resume into are touched, so a tail never misses
 * what it has not read yet. The merged chunks are written first, naming the chunks they
 * replace (searches skip those), then the old ones are deleted, then the names are dropped:
 * a run cut short anywhere leaves every record findable exactly once, and the next run
 * finishes its work.
 */
export async function compactLogChunks(table: TableStore, now: number): Promise<LogCompaction> {
  const store = new LogStore(table);
  const services = await store.services();
  const retention = await store.retentionDays(services);
  const out: LogCompaction = { services: services.length, merged: 0, written: 0, repacked: 0 };
  const settled = now - TAIL_KEEP_SECONDS * 1000;
  for (const service of services) {
    const indexes = (await all(table, `LOGIDX#${service}`)).map((item) => ({
      item,
      index: chunkIndexOf(item),
    }));
    const replaced = new Set(indexes.flatMap(({ index }) => index.replaces ?? []));
    // Finish an earlier run: delete what it replaced, then drop the names.
    const leftovers = indexes.filter(({ index }) => replaced.has(index.id));
    if (leftovers.length) await table.batchDelete(leftovers.flatMap(({ item, index }) => keys(item, index)));
    const named = indexes.filter(({ index }) => index.replaces?.length && !replaced.has(index.id));
    if (named.length) await table.batchPut(named.map(({ item }) => withoutReplaces(item)));

    const streams = new Map<string, ChunkIndex[]>();
    for (const { index } of indexes) {
      if (replaced.has(index.id) || index.minT === undefined) continue;
      if ((index.writtenAt ?? 0) > settled) continue;
      if (index.bytes >= SMALL_CHUNK_BYTES && !repackable(index)) continue;
      const key = `${index.level}\u0000${index.source}`;
      streams.set(key, [...(streams.get(key) ?? []), index]);
    }
    const expiry = (retention.get(service) ?? DEFAULT_RETENTION_DAYS) * 86_400_000;
    for (const group of streams.values()) {
      group.sort((a, b) => a.minT - b.minT);
      // Runs of small chunks that fill about one chunk each.
      let run: ChunkIndex[] = [];
      let size = 0;
      const runs: ChunkIndex[][] = [];
      for (const index of group) {
        if (run.length && size + index.bytes > CHUNK_TEXT_BYTES) {
          runs.push(run);
          run = [];
          size = 0;
        }
        run.push(index);
        size += index.bytes;
      }
      runs.push(run);
      for (const sources of runs) {
        if (sources.length < 2) {
          if (!repackable(sources[0])) continue;
          await merge(table, sources, service, expiry, now);
          out.repacked += 1;
          continue;
        }
        await merge(table, sources, service, expiry, now);
        out.merged += sources.length;
        out.written += 1;
      }
    }
  }
  return out;
}

async function merge(
  table: TableStore,
  sources: ChunkIndex[],
  service: string,
  expiry: number,
  now: number,
): Promise<void> {
  const chunks = await table.batchGet(sources.map((s) => ({ PK: `LOGCHUNK#${s.id}`, SK: 'CHUNK' })));
  const data = new Map(chunks.map((c) => [String(c.PK).slice('LOGCHUNK#'.length), c.data as Uint8Array]));
  if (sources.some((s) => !data.get(s.id))) return; // expired meanwhile: leave the run alone
  const records: LogRecord[] = [];
  for (const s of sources) records.push(...chunkRecords(data.get(s.id) as Uint8Array, { ...s, service }));
  records.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const output = { items: [] as Item[], arrivals: [], stats: [] };
  streamChunks(records, expiry, now, output, KEPT_WRITING);
  const ids = sources.map((s) => s.id);
  // Every new index item names all the sources: the one holding the newest record is in any
  // time range that includes one of them.
  const written = output.items.map((item) =>
    String(item.PK).startsWith('LOGIDX#') ? { ...item, replaces: ids } : item,
  );
  await table.batchPut(written);
  await table.batchDelete(
    sources.flatMap((s) => [
      { PK: `LOGIDX#${service}`, SK: `${String(s.maxT).padStart(15, '0')}#${s.id}` },
      { PK: `LOGCHUNK#${s.id}`, SK: 'CHUNK' },
    ]),
  );
  await table.batchPut(written.filter((item) => String(item.PK).startsWith('LOGIDX#')).map(withoutReplaces));
}

function withoutReplaces(item: Item): Item {
  const { replaces: _replaces, ...rest } = item;
  return rest as Item;
}

const keys = (item: Item, index: ChunkIndex): ItemKey[] => [
  { PK: String(item.PK), SK: String(item.SK) },
  { PK: `LOGCHUNK#${index.id}`, SK: 'CHUNK' },
];

async function all(table: TableStore, pk: string): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  do {
    const page = await table.query({ pk, cursor, limit: 1000 });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}
