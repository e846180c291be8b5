import type { Level } from '@vigil/core/logs';

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
