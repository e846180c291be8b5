import { isAscii } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type ChunkBytes,
  ChunkFilter,
  decodeChunk,
  encodeChunk,
  encodeLine,
  hitRecord,
  isoMs,
  type Level,
  type LineHit,
  type LogQuery,
  type LogRecord,
  levelRank,
  matchesQuery,
  mayContain,
  scanChunk,
  TrigramBloom,
} from '@vigil/core/logs';
import type { Item, TableStore } from '@vigil/core/ports';
import {
  type Arrival,
  SEQ_KEY,
  TAIL_GAP_GRACE_MS,
  TAIL_KEEP_SECONDS,
  TAIL_PARTITION,
  type TailPosition,
} from './tail';

/** Chunks stay under DynamoDB's item limit with room to spare. */
export const CHUNK_MAX_BYTES = 350_000;
export const DEFAULT_RETENTION_DAYS = 30;
/**
 * gzip level of kept chunks. Storage and write units are paid per byte for as long as logs are
 * kept, the CPU once: the highest level costs less overall.
 */
export const GZIP_LEVEL = 9;
/**
 * gzip level of chunks written by an ingest request: a few times less CPU than level 9 for
 * about 15 % more bytes, and the compaction job recompresses them at GZIP_LEVEL once settled.
 */
export const INGEST_GZIP_LEVEL = 3;
/** Uncompressed text per chunk; a chunk whose gzip still exceeds CHUNK_MAX_BYTES is split. */
export const CHUNK_TEXT_BYTES = CHUNK_MAX_BYTES * 3;
const pad = (n: number) => String(n).padStart(15, '0');

export interface ChunkIndex {
  id: string;
  service: string;
  level: Level;
  source: string;
  minT: number;
  maxT: number;
  count: number;
  bytes: number;
  /** 2: lines as `encodeLine` writes them, times after `base`, token filter in `filter`. */
  format?: 2;
  base?: number;
  filter?: Uint8Array;
  /** Format 1: whole records per line and a trigram Bloom filter. */
  bloom?: Uint8Array;
  /** When it was written (ms); compaction waits until no tail can still need it. */
  writtenAt?: number;
  /** Chunks this one holds the records of (compaction); searches skip those. */
  replaces?: string[];
  /** gzip level of its data; GZIP_LEVEL when absent. Compaction recompresses lower ones. */
  packed?: number;
}

type StoredChunk = Pick<ChunkIndex, 'service' | 'level' | 'source' | 'format' | 'base'>;

/** An index item as a ChunkIndex (id and service come from its key). */
export function chunkIndexOf(item: Item): ChunkIndex {
  const sk = String(item.SK);
  return {
    ...(item as unknown as ChunkIndex),
    id: sk.slice(sk.indexOf('#') + 1),
    service: String(item.PK).slice('LOGIDX#'.length),
  };
}

/** A chunk's text; output buffers of 256 KB spare most of the copying of the default 16 KB. */
const gunzip = (data: Uint8Array) => gunzipSync(data, { chunkSize: 256 * 1024 }).toString('utf8');
/**
 * A chunk's bytes, in one output buffer when its index tells the size (`bytes` counts UTF-16
 * units: text beyond ASCII has more bytes and takes a few buffers).
 */
const inflate = (data: Uint8Array, bytes: number | undefined) =>
  gunzipSync(data, {
    chunkSize: Math.min(4 * 1024 * 1024, Math.max(64 * 1024, Math.ceil((bytes ?? 0) * 1.05) + 1024)),
  });

/** ASCII bytes, which are their own UTF-8 text, decoded as ASCII: several times faster. */
const asciiBytes = (bytes: Buffer): ChunkBytes => ({
  length: bytes.length,
  ascii: true,
  indexOf: (value, from) => bytes.indexOf(value, from),
  toString: (_utf8, start, end) => bytes.toString('ascii', start, end),
});

const streamOf = (c: StoredChunk) => ({
  service: c.service,
  level: c.level,
  source: c.source,
  base: c.base ?? 0,
});

/** Every record of a chunk, in order. */
export function chunkRecords(data: Uint8Array, c: StoredChunk): LogRecord[] {
  const text = gunzip(data);
  if (c.format === 2) return decodeChunk(text, streamOf(c));
  return text.split('\n').map((l) => JSON.parse(l) as LogRecord);
}

/** The records of a chunk matching the query (format 2: lazily decoded). */
function searchChunk(
  data: Uint8Array,
  c: StoredChunk & { bytes?: number },
  q: LogQuery,
  out: Array<LogRecord | LineHit>,
  times: number[],
): void {
  if (c.format === 2) {
    const bytes = inflate(data, c.bytes);
    scanChunk(isAscii(bytes) ? asciiBytes(bytes) : bytes, streamOf(c), q, out, times, true);
    return;
  }
  for (const r of chunkRecords(data, c))
    if (matchesQuery(r, q)) {
      out.push(r);
      times.push(Date.parse(r.timestamp));
    }
}

/** What writing records produces: items to put, chunks for the tail, stream counters. */
interface ChunkOutput {
  items: Item[];
  arrivals: Arrival['chunks'];
  stats: Array<{ key: { PK: string; SK: string }; records: number; bytes: number; newest: string }>;
}

/**
 * Chunk and index items for the records of one stream (same service, level and source), each
 * chunk's text at most CHUNK_TEXT_BYTES and its gzip at most CHUNK_MAX_BYTES; `expiry` is the
 * service's retention in ms.
 */
export function streamChunks(
  list: LogRecord[],
  expiry: number,
  now: number,
  out: ChunkOutput,
  gzipLevel = INGEST_GZIP_LEVEL,
): void {
  const { service, level, source } = list[0];
  const times = list.map((r) => isoMs(r.timestamp));
  let base = times[0];
  for (const t of times) if (t < base) base = t;
  const emit = (from: number, to: number, lines: string[], size: number) => {
    const data = gzipSync(encodeChunk(lines, times.slice(from, to), base), {
      level: gzipLevel,
      memLevel: 9,
    });
    if (data.length > CHUNK_MAX_BYTES && to - from > 1) {
      // Text that compresses badly: halve the chunk until it fits an item.
      const mid = from + Math.floor((to - from) / 2);
      const head = lines.slice(0, mid - from);
      emit(
        from,
        mid,
        head,
        head.reduce((n, l) => n + l.length + 1, 0),
      );
      const tail = lines.slice(mid - from);
      emit(
        mid,
        to,
        tail,
        tail.reduce((n, l) => n + l.length + 1, 0),
      );
      return;
    }
    let minT = times[from];
    let maxT = times[from];
    const ids: string[] = [];
    const messages: string[] = [];
    let textLength = 0;
    for (let i = from; i < to; i++) {
      const t = times[i];
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
      const r = list[i];
      messages.push(r.message);
      textLength += r.message.length;
      if (r.trace_id) ids.push(r.trace_id);
      if (r.request_id) ids.push(r.request_id);
      if (r.span_id) ids.push(r.span_id);
    }
    const filter = ChunkFilter.build(messages, ids, textLength);
    const id = randomUUID();
    const expiresAt = Math.floor((maxT + expiry) / 1000);
    const index: ChunkIndex = {
      id,
      service,
      level,
      source,
      minT,
      maxT,
      count: to - from,
      bytes: size,
      format: 2,
      base,
      filter: filter.bits,
      ...(gzipLevel !== GZIP_LEVEL && { packed: gzipLevel }),
    };
    // The id and service are in the key already: not stored twice.
    const { id: _id, service: _service, ...attributes } = index;
    // writtenAt: compaction leaves chunks alone while a tail may still read them.
    out.items.push({
      PK: `LOGIDX#${service}`,
      SK: `${pad(maxT)}#${id}`,
      ...attributes,
      writtenAt: now,
      expiresAt,
    });
    out.items.push({ PK: `LOGCHUNK#${id}`, SK: 'CHUNK', data, expiresAt });
    out.arrivals.push({ id, service, level, source, count: to - from, format: 2, base });
    out.stats.push({
      key: { PK: 'LOGSTREAMS', SK: `${service}#${level}#${source}` },
      records: to - from,
      bytes: size,
      newest: new Date(maxT).toISOString(),
    });
  };
  let from = 0;
  let lines: string[] = [];
  let size = 0;
  for (let i = 0; i < list.length; i++) {
    const line = encodeLine(list[i]);
    if (lines.length && size + line.length > CHUNK_TEXT_BYTES) {
      emit(from, i, lines, size);
      from = i;
      lines = [];
      size = 0;
    }
    lines.push(line);
    size += line.length + 1;
  }
  if (lines.length) emit(from, list.length, lines, size);
}

/**
 * Positions of the `n` greatest times (all by default), greatest first, equal times in
 * position order. The n-th greatest time is found with a typed-array sort; only what is at
 * least that is sorted with a comparator.
 */
export function newest(times: number[], n = times.length): number[] {
  let keep: number[];
  if (n < times.length) {
    const threshold = Float64Array.from(times).sort()[times.length - n];
    keep = [];
    for (let k = 0; k < times.length; k++) if (times[k] >= threshold) keep.push(k);
  } else keep = Array.from(times.keys());
  return keep.sort((a, b) => times[b] - times[a]).slice(0, n);
}

/** What a search read, for the response's `stats`. */
export interface SearchStats {
  chunksRead: number;
  chunksSkipped: number;
}

/**
 * Logs in the logs table: records grouped by stream (service + level + source) into gzip NDJSON
 * chunks, each with a small index item (time range, counts, trigram filter) that searches read
 * first, so most chunks are skipped without reading their data.
 */
export class LogStore {
  constructor(private readonly table: TableStore) {}

  /** Writes records as chunks; returns how many chunks were written. */
  async write(records: LogRecord[], now: number): Promise<number> {
    const streams = new Map<string, LogRecord[]>();
    for (const r of records) {
      const key = `${r.service}\u0000${r.level}\u0000${r.source}`;
      const list = streams.get(key);
      if (list) list.push(r);
      else streams.set(key, [r]);
    }
    const retention = await this.retentionDays([...new Set(records.map((r) => r.service))]);
    const items: Item[] = [];
    const arrivals: Arrival['chunks'] = [];
    const stats: ChunkOutput['stats'] = [];
    for (const list of streams.values())
      streamChunks(list, (retention.get(list[0].service) ?? DEFAULT_RETENTION_DAYS) * 86_400_000, now, {
        items,
        arrivals,
        stats,
      });
    await this.table.batchPut(items);
    // Only once its chunks are readable does a write take its place in arrival order, so a
    // tail that sees the arrival can always read what it names.
    const seq = Number((await this.table.increment(SEQ_KEY, { seq: 1 })).seq);
    await this.table.put({
      PK: `LOGTAIL#${Math.floor(seq / TAIL_PARTITION)}`,
      SK: pad(seq),
      seq,
      at: Date.now(),
      chunks: arrivals,
      expiresAt: Math.floor(now / 1000) + TAIL_KEEP_SECONDS,
    });
    await this.table.batchPut(
      [...new Set(records.map((r) => r.service))].map((s) => ({ PK: 'LOGSERVICES', SK: s })),
    );
    for (const s of stats)
      await this.table.increment(
        s.key,
        { records: s.records, bytes: s.bytes },
        { newest: s.newest, updatedAt: now },
      );
    return items.length / 2;
  }

  async services(): Promise<string[]> {
    return (await this.all({ pk: 'LOGSERVICES' })).map((i) => String(i.SK));
  }

  async streams(): Promise<
    Array<{ service: string; level: string; source: string; records: number; bytes: number; newest: string }>
  > {
    return (await this.all({ pk: 'LOGSTREAMS' })).map((i) => {
      const [service, level, source] = String(i.SK).split('#');
      return {
        service,
        level,
        source,
        records: Number(i.records ?? 0),
        bytes: Number(i.bytes ?? 0),
        newest: String(i.newest ?? ''),
      };
    });
  }

  async retentionDays(services: string[]): Promise<Map<string, number>> {
    const items = await this.table.batchGet(services.map((s) => ({ PK: 'LOGRETENTION', SK: s })));
    return new Map(items.map((i) => [String(i.SK), Number(i.days)]));
  }

  async retention(): Promise<Record<string, number>> {
    return Object.fromEntries(
      (await this.all({ pk: 'LOGRETENTION' })).map((i) => [String(i.SK), Number(i.days)]),
    );
  }

  /** The oldest timestamp each service still keeps at `now`. */
  private async cutoffs(services: string[], now: number): Promise<Map<string, number>> {
    const days = await this.retentionDays(services);
    return new Map(services.map((s) => [s, now - (days.get(s) ?? DEFAULT_RETENTION_DAYS) * 86_400_000]));
  }

  /**
   * Sets a service's retention and applies it to what is stored: chunks now wholly outside the
   * window are deleted at once, the others get the new expiry (so a longer retention keeps
   * them too). Returns how many chunks were deleted and re-dated.
   */
  async setRetention(service: string, days: number, now: number): Promise<{ deleted: number; kept: number }> {
    await this.table.put({ PK: 'LOGRETENTION', SK: service, days });
    const cutoff = now - days * 86_400_000;
    let deleted = 0;
    let kept = 0;
    for (const item of await this.all({ pk: `LOGIDX#${service}` })) {
      const index = chunkIndexOf(item);
      const chunkKey = { PK: `LOGCHUNK#${index.id}`, SK: 'CHUNK' };
      if (index.maxT < cutoff) {
        await this.table.batchDelete([chunkKey, { PK: String(item.PK), SK: String(item.SK) }]);
        deleted++;
        continue;
      }
      const expiresAt = Math.floor((index.maxT + days * 86_400_000) / 1000);
      if (item.expiresAt === expiresAt) continue;
      const [chunk] = await this.table.batchGet([chunkKey]);
      if (!chunk) continue;
      await this.table.batchPut([
        { ...chunk, expiresAt },
        { ...item, expiresAt },
      ]);
      kept++;
    }
    return { deleted, kept };
  }

  /**
   * Records that arrived after `after`, in arrival order, matching the query's filters (its
   * time window is not applied: a tail shows whatever arrives, late timestamps included).
   * Stops before an arrival number still in flight so nothing is passed over, and after whole
   * arrivals once `limit` records are found; `position` is where the next read continues.
   * `after` undefined means from now on.
   */
  async tail(
    q: LogQuery,
    after: TailPosition | undefined,
    limit = 5000,
  ): Promise<{ records: Array<{ id: string; record: LogRecord }>; position: TailPosition }> {
    const latest = Number((await this.table.get(SEQ_KEY, { consistent: true }))?.seq ?? 0);
    const end = Number.MAX_SAFE_INTEGER;
    if (!after) return { records: [], position: { seq: latest, chunk: end, line: 0 } };
    let position = after;
    const records: Array<{ id: string; record: LogRecord }> = [];
    const open = { ...q, start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY };
    const first = after.chunk === end ? after.seq + 1 : after.seq;
    if (first > latest) return { records, position };
    const arrivals: Arrival[] = [];
    for (let part = Math.floor(first / TAIL_PARTITION); part <= Math.floor(latest / TAIL_PARTITION); part++)
      for (const item of await this.all({ pk: `LOGTAIL#${part}`, sk: { gte: pad(first) } }))
        arrivals.push(item as unknown as Arrival);
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
        (await this.table.batchGet(wanted.map((c) => ({ PK: `LOGCHUNK#${c.id}`, SK: 'CHUNK' })))).map((i) => [
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

  /**
   * Every record matching the query, newest first, reading only chunks whose time range, level
   * counts and trigram filter allow a match. `ids` narrows by trace or request id.
   */
  async search(
    q: LogQuery,
    ids: string[] = [],
    now?: number,
    page?: { offset: number; limit: number },
  ): Promise<{ records: LogRecord[]; total: number; stats: SearchStats }> {
    const services = q.services ?? (await this.services());
    const candidates: ChunkIndex[] = [];
    const cutoffs = now === undefined ? new Map<string, number>() : await this.cutoffs(services, now);
    let skipped = 0;
    for (const service of services) {
      const from = Math.max(q.start, cutoffs.get(service) ?? q.start);
      const indexes = (await this.all({ pk: `LOGIDX#${service}`, sk: { gte: pad(from) } })).map(chunkIndexOf);
      // A compacted chunk's maxT is its sources' greatest: when one of them is in range, so is it.
      const replaced = new Set(indexes.flatMap((i) => i.replaces ?? []));
      for (const index of indexes) {
        if (index.minT === undefined || replaced.has(index.id)) continue;
        if (index.minT > q.end) {
          skipped++;
          continue;
        }
        if (q.level && levelRank(index.level) < levelRank(q.level)) {
          skipped++;
          continue;
        }
        let possible: boolean;
        if (index.format === 2) {
          const filter = new ChunkFilter(index.filter as Uint8Array);
          possible = q.text.every((t) => filter.mayContain(t)) && ids.every((id) => filter.mayHaveId(id));
        } else {
          const bloom = new TrigramBloom(index.bloom as Uint8Array);
          possible =
            q.text.every((t) => t.length < 3 || mayContain(bloom, t)) &&
            ids.every((id) => bloom.has(`id:${id.toLowerCase()}`));
        }
        if (!possible) {
          skipped++;
          continue;
        }
        candidates.push(index);
      }
    }
    const found: Array<LogRecord | LineHit> = [];
    const times: number[] = [];
    const byId = new Map(candidates.map((c) => [c.id, c]));
    for (let i = 0; i < candidates.length; i += 100) {
      const chunks = await this.table.batchGet(
        candidates.slice(i, i + 100).map((c) => ({ PK: `LOGCHUNK#${c.id}`, SK: 'CHUNK' })),
      );
      for (const chunk of chunks) {
        const index = byId.get(String(chunk.PK).slice('LOGCHUNK#'.length));
        if (!chunk.data || !index) continue;
        const cutoff = cutoffs.get(index.service);
        const from = found.length;
        searchChunk(chunk.data as Uint8Array, index, q, found, times);
        if (cutoff === undefined || index.minT >= cutoff) continue;
        // Records past the service's retention that the TTL sweep has not removed yet.
        let kept = from;
        for (let k = from; k < found.length; k++)
          if (times[k] >= cutoff) {
            found[kept] = found[k];
            times[kept] = times[k];
            kept++;
          }
        found.length = kept;
        times.length = kept;
      }
    }
    // Newest first; records with the same time keep the order they were stored in.
    // Only the records asked for are sorted in full and decoded.
    const wanted = page ? newest(times, page.offset + page.limit).slice(page.offset) : newest(times);
    const records = wanted.map((k) => hitRecord(found[k]));
    return {
      records,
      total: found.length,
      stats: { chunksRead: candidates.length, chunksSkipped: skipped },
    };
  }

  private async all(query: Parameters<TableStore['query']>[0]): Promise<Item[]> {
    const out: Item[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.table.query({ ...query, cursor, limit: 1000 });
      out.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return out;
  }
}
