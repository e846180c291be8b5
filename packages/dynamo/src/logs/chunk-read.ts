/** Reading log chunks of every format: whole (tail, compaction) or searched block by block. */
import { isAscii } from 'node:buffer';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import {
  type ChunkBytes,
  chunkTimes,
  decodeBlockLayout,
  decodeChunk,
  type Level,
  type LineHit,
  type LogQuery,
  type LogRecord,
  matchesQuery,
  scanChunk,
} from '@vigil/core/logs';
import type { FilterInput } from './chunks';

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
  if (c.format === 3) {
    const stream = streamOf(c);
    return decodeBlockLayout(data).flatMap((b) =>
      decodeChunk(unbrotli(data.subarray(b.start, b.end), b.textBytes).toString('utf8'), stream),
    );
  }
  const text = gunzip(data);
  if (c.format === 2) return decodeChunk(text, streamOf(c));
  return text.split('\n').map((l) => JSON.parse(l) as LogRecord);
}

/**
 * What the token filter of a format 3 chunk is built from, read from its data: its messages
 * and ids without building records, and its blocks' starts and time ranges.
 */
export function chunkFilterInput(data: Uint8Array, c: StoredChunk): FilterInput {
  const out: FilterInput = { messages: [], ids: [], starts: [], ranges: [] };
  for (const b of decodeBlockLayout(data)) {
    const lines = unbrotli(data.subarray(b.start, b.end), b.textBytes).toString('utf8').split('\n');
    const times = chunkTimes(lines[0], c.base ?? 0);
    let minT = times[0];
    let maxT = times[0];
    for (const t of times) {
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
    }
    out.starts.push(out.messages.length);
    out.ranges.push({ minT, maxT });
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      // A JSON string without escapes is its text in quotes (as `decodeLine` reads it).
      if (line.charCodeAt(0) === 0x22 && !line.includes('\\')) {
        out.messages.push(line.slice(1, -1));
        continue;
      }
      const value = JSON.parse(line) as string | LineExtras;
      if (typeof value === 'string') {
        out.messages.push(value);
        continue;
      }
      out.messages.push(value.m);
      if (value.trace_id) out.ids.push(value.trace_id);
      if (value.request_id) out.ids.push(value.request_id);
      if (value.span_id) out.ids.push(value.span_id);
    }
  }
  return out;
}

/** A line's fields beside its message (see `encodeLine`). */
interface LineExtras {
  m: string;
  trace_id?: string;
  span_id?: string;
  request_id?: string;
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
