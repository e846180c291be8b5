/** Log chunks: the gzip NDJSON data items of a stream and their index items, built and searched. */
import { isAscii } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type ChunkBytes,
  ChunkFilter,
  decodeChunk,
  encodeChunk,
  encodeLine,
  isoMs,
  type Level,
  type LineHit,
  type LogQuery,
  type LogRecord,
  matchesQuery,
  scanChunk,
} from '@vigil/core/logs';
import type { Item } from '@vigil/core/ports';
import type { Arrival } from './tail';

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
export const padKey = (n: number) => String(n).padStart(15, '0');

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
export function searchChunk(
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
export interface ChunkOutput {
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
      SK: `${padKey(maxT)}#${id}`,
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
