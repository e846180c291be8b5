/**
 * Log chunks: the data items of a stream and their index items, built. Chunks are written in
 * format 3: blocks of text compressed on their own (see `@vigil/core/logs` blocks), so a search
 * inflates only the blocks that may hold a match; formats 1 and 2 are still read (chunk-read).
 */
import { randomUUID } from 'node:crypto';
import { brotliCompressSync, constants } from 'node:zlib';
import {
  BLOCK_TEXT_BYTES,
  type BlockInfo,
  buildChunkFilters,
  encodeBlockIndex,
  encodeBlockLayout,
  encodeChunk,
  encodeLine,
  isoMs,
  type LineHit,
  type LogRecord,
} from '@vigil/core/logs';
import type { Item } from '@vigil/core/ports';
import type { StoredChunk } from './chunk-read';
import type { Arrival } from './tail';

export { chunkRecords, type StoredChunk, searchChunk } from './chunk-read';

/** Chunks stay under DynamoDB's item limit with room to spare. */
export const CHUNK_MAX_BYTES = 350_000;
export const DEFAULT_RETENTION_DAYS = 30;
/**
 * Brotli quality of kept chunks (CHUNK format 3). Brotli, not format 2's gzip: blocks
 * compressed on their own lose the context a whole chunk shares, and brotli's built-in
 * dictionary and context modelling win it back, about a fifth fewer bytes than gzip -9 on
 * 32 KB blocks of Loghub text. Storage is paid per byte for as long as logs are kept, the
 * compaction job's CPU (about 2.5 MB/s of text at this level) once.
 */
export const KEPT_QUALITY = 10;
/**
 * Brotli quality of chunks written by an ingest request: fast (hundreds of MB/s of text) for
 * about a quarter more bytes; the compaction job recompresses them at KEPT_QUALITY once settled.
 */
export const INGEST_QUALITY = 1;
/** How chunks are written: their brotli quality, text per block, and whether with filters. */
export interface ChunkWriting {
  quality: number;
  blockBytes: number;
  /** Unless indexed, a chunk gets its token filter and block table from the index-logs job. */
  indexed: boolean;
}
/**
 * By ingest: fast, in blocks of 64 KB (brotli's setup per block costs about as much as
 * compressing 8 KB, and at quality 1 a 64 KB block is a fifth smaller than two of 32 KB),
 * without token filters.
 */
export const INGEST_WRITING: ChunkWriting = {
  quality: INGEST_QUALITY,
  blockBytes: 2 * BLOCK_TEXT_BYTES,
  indexed: false,
};
/** By compaction, to be kept: small, in blocks a selective search inflates few of, indexed. */
export const KEPT_WRITING: ChunkWriting = {
  quality: KEPT_QUALITY,
  blockBytes: BLOCK_TEXT_BYTES,
  indexed: true,
};
/** Uncompressed text per chunk; a chunk whose data still exceeds CHUNK_MAX_BYTES is split. */
export const CHUNK_TEXT_BYTES = CHUNK_MAX_BYTES * 3;
export const padKey = (n: number) => String(n).padStart(15, '0');

export interface ChunkIndex extends StoredChunk {
  id: string;
  minT: number;
  maxT: number;
  count: number;
  bytes: number;
  /** Token filter of all its messages and ids (formats 2 and 3). */
  filter?: Uint8Array;
  /** Format 3: each block's time range and keys (`encodeBlockIndex`). */
  blocks?: Uint8Array;
  /** Format 1: whole records per line and a trigram Bloom filter. */
  bloom?: Uint8Array;
  /** When it was written (ms); compaction waits until no tail can still need it. */
  writtenAt?: number;
  /** Chunks this one holds the records of (compaction); searches skip those. */
  replaces?: string[];
  /**
   * Compression level of its data when below what kept chunks have (gzip level for format 2,
   * brotli quality for format 3); compaction recompresses such chunks.
   */
  packed?: number;
}

/**
 * An index item read only to be searched, made a ChunkIndex in place (no copy of each item a
 * search reads): id and service come from its key.
 */
export function adoptChunkIndex(item: Item): ChunkIndex {
  const sk = String(item.SK);
  item.id = sk.slice(sk.indexOf('#') + 1);
  item.service = String(item.PK).slice('LOGIDX#'.length);
  return item as unknown as ChunkIndex;
}

/** An index item as a ChunkIndex (id and service come from its key). */
export function chunkIndexOf(item: Item): ChunkIndex {
  const sk = String(item.SK);
  return {
    ...(item as unknown as ChunkIndex),
    id: sk.slice(sk.indexOf('#') + 1),
    service: String(item.PK).slice('LOGIDX#'.length),
  };
}

/** A block's UTF-8 text compressed; `sizeHint` is its length as a string. */
const brotli = (text: Buffer, sizeHint: number, quality: number) =>
  brotliCompressSync(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      // A window of 256 KB holds any block whole; a smaller one keeps the decoder's buffer small.
      [constants.BROTLI_PARAM_LGWIN]: 18,
      [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint,
    },
  });

/**
 * Where a block's text is encoded as UTF-8 before it is compressed: one buffer for every block
 * (a UTF-16 unit is at most 3 bytes, so 3 per unit of a block's text always fit), rather than
 * a new one each. Its bytes are only read while compressing, which copies what it keeps.
 */
let scratch = Buffer.allocUnsafeSlow(0);
/** A block's text longer than this (a single huge line) gets a buffer of its own. */
const SCRATCH_MAX_BYTES = 1 << 20;

/** The UTF-8 bytes of `text`, in the scratch buffer: valid until the next call. */
function utf8Bytes(text: string): Buffer {
  const most = text.length * 3;
  if (most > SCRATCH_MAX_BYTES) return Buffer.from(text, 'utf8');
  if (scratch.length < most)
    scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX_BYTES, Math.max(most, 2 * scratch.length)));
  return scratch.subarray(0, scratch.write(text, 0, most, 'utf8'));
}

/**
 * A format 3 chunk of records [from, to) of a stream: its data (block layout, then the
 * blocks), where each block starts (in lines) and its time range.
 */
function packBlocks(
  times: number[],
  lines: string[],
  from: number,
  base: number,
  { quality, blockBytes }: ChunkWriting,
): { data: Buffer; starts: number[]; ranges: Array<{ minT: number; maxT: number }> } {
  const packed: Buffer[] = [];
  const sizes: Array<{ packed: number; textBytes: number }> = [];
  const starts: number[] = [];
  const ranges: Array<{ minT: number; maxT: number }> = [];
  let first = 0;
  while (first < lines.length) {
    let last = first + 1;
    let size = lines[first].length + 1;
    while (last < lines.length && size + lines[last].length + 1 <= blockBytes) {
      size += lines[last].length + 1;
      last++;
    }
    const text = encodeChunk(lines.slice(first, last), times.slice(from + first, from + last), base);
    // Encoded once: compressed, and its length is the block's text bytes.
    const bytes = utf8Bytes(text);
    const data = brotli(bytes, text.length, quality);
    packed.push(data);
    sizes.push({ packed: data.length, textBytes: bytes.length });
    let minT = times[from + first];
    let maxT = minT;
    for (let i = from + first + 1; i < from + last; i++) {
      const t = times[i];
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
    }
    starts.push(first);
    ranges.push({ minT, maxT });
    first = last;
  }
  return { data: Buffer.concat([encodeBlockLayout(sizes), ...packed]), starts, ranges };
}

/** What writing records produces: items to put, chunks for the tail, stream counters. */
export interface ChunkOutput {
  items: Item[];
  arrivals: Arrival['chunks'];
  stats: Array<{ key: { PK: string; SK: string }; records: number; bytes: number; newest: string }>;
}

/**
 * Chunk and index items for the records of one stream (same service, level and source), each
 * chunk's text at most CHUNK_TEXT_BYTES and its data at most CHUNK_MAX_BYTES; `expiry` is the
 * service's retention in ms; `writing` how they are written; `times` the records' timestamps in
 * ms, when the caller has them already. Chunks written unindexed get no token filter or block
 * table yet (searches read them whole): the index-logs job adds them, finding them by their
 * arrivals (see `indexLogChunks`).
 */
export function streamChunks(
  list: LogRecord[],
  expiry: number,
  now: number,
  out: ChunkOutput,
  writing: ChunkWriting,
  times: number[] = list.map((r) => isoMs(r.timestamp)),
): void {
  const { service, level, source } = list[0];
  let base = times[0];
  for (const t of times) if (t < base) base = t;
  const emit = (from: number, to: number, lines: string[], size: number) => {
    const { data, starts, ranges } = packBlocks(times, lines, from, base, writing);
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
    for (let i = from; i < to; i++) {
      const t = times[i];
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
    }
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
      format: 3,
      base,
      ...(writing.indexed && chunkFilters(filterInput(list.slice(from, to), starts, ranges), base)),
      ...(writing.quality < KEPT_QUALITY && { packed: writing.quality }),
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
    out.arrivals.push({ id, service, level, source, count: to - from, format: 3, base, maxT });
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

/** What a chunk's token filter and block keys are built from. */
export interface FilterInput {
  /** The records' messages, in order. */
  messages: string[];
  /** Their trace, request and span ids. */
  ids: string[];
  /** Where each block starts (in records) and its time range. */
  starts: number[];
  ranges: Array<{ minT: number; maxT: number }>;
}

/**
 * A format 3 chunk's token filter and block table (each block's time range and keys), built in
 * one pass over its messages.
 */
export function chunkFilters(
  { messages, ids, starts, ranges }: FilterInput,
  base: number,
): { filter: Uint8Array; blocks: Uint8Array } {
  let textLength = 0;
  for (const m of messages) textLength += m.length;
  const filters = buildChunkFilters(messages, ids, textLength, starts);
  const blocks: BlockInfo[] = ranges.map((r, b) => ({ ...r, keys: filters.blocks[b] }));
  return { filter: filters.filter.bits, blocks: encodeBlockIndex(base, blocks) };
}

/** The filter input of records whose blocks start at `starts` and span `ranges`. */
function filterInput(
  records: readonly LogRecord[],
  starts: number[],
  ranges: FilterInput['ranges'],
): FilterInput {
  const ids: string[] = [];
  const messages: string[] = [];
  for (const r of records) {
    messages.push(r.message);
    if (r.trace_id) ids.push(r.trace_id);
    if (r.request_id) ids.push(r.request_id);
    if (r.span_id) ids.push(r.span_id);
  }
  return { messages, ids, starts, ranges };
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

/**
 * Keeps the `n` newest matches (and their times) in the order they were found, so that a page
 * of a search matching much holds only what it can still return; later matches come after
 * these, so ties keep resolving by order found. Returns how many were dropped.
 */
export function keepNewest(found: Array<LogRecord | LineHit>, times: number[], n: number): number {
  const kept = newest(times, n).sort((a, b) => a - b);
  const dropped = found.length - kept.length;
  kept.forEach((k, i) => {
    found[i] = found[k];
    times[i] = times[k];
  });
  found.length = kept.length;
  times.length = kept.length;
  return dropped;
}
