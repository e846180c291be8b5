import { ByteReader, ByteWriter } from './bytes';
import { readValues, writeValues } from './values';

/**
 * A block: one series' samples in a window, as timestamps (first against the window's start,
 * then delta of delta) and a value column (decimal-aware, see `writeValues`). Byte-aligned, so
 * the item that packs many blocks compresses well as a whole.
 */
const BLOCK_FORMAT = 1;

/** Writes a block; values flagged in `stale` are stored as the staleness marker (see stale.ts). */
export function writeBlock(w: ByteWriter, ts: number[], vs: number[], base = 0, stale?: Uint8Array): void {
  w.u8(BLOCK_FORMAT);
  w.uvarint(ts.length);
  let prev = base;
  let prevDelta = 0;
  for (let i = 0; i < ts.length; i++) {
    const delta = ts[i] - prev;
    w.varint(i < 2 ? delta : delta - prevDelta);
    prevDelta = delta;
    prev = ts[i];
  }
  writeValues(w, vs, 'xor', stale);
}

/** A block's samples; `stale` flags the staleness markers, when there are any. */
export interface DecodedBlock {
  ts: number[];
  vs: number[];
  stale?: Uint8Array;
}

export function readBlock(r: ByteReader, base = 0): DecodedBlock {
  const format = r.u8();
  if (format !== BLOCK_FORMAT) throw new RangeError(`unknown metric block format ${format}`);
  const n = r.uvarint();
  const ts = new Array<number>(n);
  let prev = base;
  let prevDelta = 0;
  for (let i = 0; i < n; i++) {
    const x = r.varint();
    const delta = i < 2 ? x : prevDelta + x;
    prev += delta;
    prevDelta = delta;
    ts[i] = prev;
  }
  const stale = new Uint8Array(n);
  const vs = readValues(r, n, stale);
  return stale.includes(1) ? { ts, vs, stale } : { ts, vs };
}

/** Encodes samples (sorted by time, unique timestamps) as one block. */
export function encodeBlock(ts: number[], vs: number[], base = 0, stale?: Uint8Array): Uint8Array {
  const w = new ByteWriter(ts.length * 3 + 16);
  writeBlock(w, ts, vs, base, stale);
  return w.finish();
}

export function decodeBlock(bytes: Uint8Array, base = 0): DecodedBlock {
  return readBlock(new ByteReader(bytes), base);
}
