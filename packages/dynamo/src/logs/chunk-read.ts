/** Reading log chunks of every format: whole (tail, compaction) or searched block by block. */
import { isAscii } from 'node:buffer';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import {
  type ChunkBytes,
  decodeBlockLayout,
  decodeChunk,
  type Level,
  type LineHit,
  type LogQuery,
  type LogRecord,
  matchesQuery,
  scanChunk,
} from '@vigil/core/logs';

/** What reading a chunk's data needs from its index item (or its tail arrival). */
export interface StoredChunk {
  service: string;
  level: Level;
  source: string;
  /** 3: brotli blocks (see `@vigil/core/logs` blocks); 2: one gzip text; absent: format 1. */
  format?: 2 | 3;
  base?: number;
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
/** A block's bytes, in one output buffer of its known size. */
const unbrotli = (data: Uint8Array, textBytes: number) =>
  brotliDecompressSync(data, { chunkSize: Math.max(1024, textBytes + 64) });

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
  if (c.format === 3) return blockRecords(data, c).flat();
  const text = gunzip(data);
  if (c.format === 2) return decodeChunk(text, streamOf(c));
  return text.split('\n').map((l) => JSON.parse(l) as LogRecord);
}

/** The records of each block of a format 3 chunk, in order. */
export function blockRecords(data: Uint8Array, c: StoredChunk): LogRecord[][] {
  const stream = streamOf(c);
  return decodeBlockLayout(data).map((b) =>
    decodeChunk(unbrotli(data.subarray(b.start, b.end), b.textBytes).toString('utf8'), stream),
  );
}

/**
 * The records of a chunk matching the query (formats 2 and 3: lazily decoded); of a format 3
 * chunk, only the blocks listed in `blocks` (all when absent) are read.
 */
export function searchChunk(
  data: Uint8Array,
  c: StoredChunk & { bytes?: number },
  q: LogQuery,
  out: Array<LogRecord | LineHit>,
  times: number[],
  blocks?: number[],
): void {
  if (c.format === 3) {
    const stream = streamOf(c);
    const layout = decodeBlockLayout(data);
    for (const i of blocks ?? layout.keys()) {
      const b = layout[i];
      const bytes = unbrotli(data.subarray(b.start, b.end), b.textBytes);
      scanChunk(isAscii(bytes) ? asciiBytes(bytes) : bytes, stream, q, out, times, true);
    }
    return;
  }
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
