import { type ByteReader, ByteWriter, varintSize } from './bytes';
import { decodeXorValues, encodeXorValues } from './gorilla';

/**
 * A column of sample values. Most metric values are decimals (12.345, 0.25, 8_192): each is an
 * integer times 10^-k, so the column stores k once and the scaled integers as zigzag varints,
 * raw, as deltas or as deltas of deltas — whichever is shortest. Values that are not such
 * decimals (NaN with its payload, ±Inf, -0, 1/3) are kept bit for bit as exceptions; a column
 * with many of them falls back to Gorilla's XOR encoding.
 */
const MAX_SCALE = 15;
/** Scaled integers stay below 2^49 so deltas of deltas fit a varint exactly. */
const MAX_SCALED = 2 ** 49;
const XOR_MODE = 0xff;
const RAW_MODE = 0xfe;
const POW10 = Array.from({ length: MAX_SCALE + 1 }, (_, k) => 10 ** k);

/** The smallest k with v = s / 10^k exactly, or -1. */
function decimalScale(v: number): number {
  if (!Number.isFinite(v) || Object.is(v, -0)) return -1;
  if (Number.isInteger(v)) return Math.abs(v) <= MAX_SCALED ? 0 : -1;
  for (let k = 1; k <= MAX_SCALE; k++) {
    const s = Math.round(v * POW10[k]);
    if (Math.abs(s) > MAX_SCALED) return -1;
    if (s / POW10[k] === v) return k;
  }
  return -1;
}

/** Whether v = s / 10^k exactly for an integer s within range (so its own scale is ≤ k). */
function fitsScale(v: number, k: number): boolean {
  const s = Math.round(v * POW10[k]);
  return Math.abs(s) <= MAX_SCALED && s / POW10[k] === v && !Object.is(v, -0);
}

/**
 * Writes `vs` (the reader must know how many). Non-decimal columns fall back to XOR with the
 * previous value — or, with `fallback: 'raw'`, to plain float64s, for columns whose neighbours
 * are unrelated (a segment holds one value of many series). Values flagged in `stale` are
 * written as the staleness marker's exact bits, whatever number stands for them.
 */
export function writeValues(
  w: ByteWriter,
  vs: number[],
  fallback: 'xor' | 'raw' = 'xor',
  stale?: Uint8Array,
): void {
  const n = vs.length;
  if (!n) return;
  const scales = new Int8Array(n);
  let scale = 0;
  let misses = 0;
  for (let i = 0; i < n; i++) {
    const v = vs[i];
    let k: number;
    if (stale?.[i]) k = -1;
    else if (i > 0 && v === vs[i - 1] && !Object.is(v, -0)) k = scales[i - 1];
    else if (fitsScale(v, scale)) {
      // Its own scale is at most the column's so far: only the largest matters.
      k = scale;
    } else k = decimalScale(v);
    scales[i] = k;
    if (k < 0) misses++;
    else if (k > scale) scale = k;
    if (misses * 4 > n) break;
  }
  const scaled = new Array<number>(n);
  const exceptions: number[] = [];
  if (misses * 4 <= n) {
    const p = POW10[scale];
    let prev = 0;
    for (let i = 0; i < n; i++) {
      let s = prev;
      if (scales[i] >= 0) {
        const candidate = Math.round(vs[i] * p);
        if (Math.abs(candidate) <= MAX_SCALED && candidate / p === vs[i]) s = candidate;
        else exceptions.push(i);
      } else exceptions.push(i);
      scaled[i] = s;
      prev = s;
    }
  }
  if ((misses * 4 > n || exceptions.length * 4 > n) && fallback === 'raw') {
    w.u8(RAW_MODE);
    for (let i = 0; i < n; i++) {
      if (stale?.[i]) w.stale();
      else w.f64(vs[i]);
    }
    return;
  }
  if (misses * 4 > n || exceptions.length * 4 > n) {
    w.u8(XOR_MODE);
    const xor = encodeXorValues(vs, stale);
    w.uvarint(xor.length);
    w.append(xor);
    return;
  }
  // Pick the order (raw, delta, delta of delta) with the fewest bytes.
  let size0 = 0;
  let size1 = 0;
  let size2 = 0;
  for (let i = 0; i < n; i++) {
    const d = i > 0 ? scaled[i] - scaled[i - 1] : scaled[0];
    const dd = i > 1 ? d - (scaled[i - 1] - scaled[i - 2]) : d;
    size0 += varintSize(scaled[i]);
    size1 += varintSize(d);
    size2 += varintSize(dd);
  }
  const order = size0 <= size1 && size0 <= size2 ? 0 : size1 <= size2 ? 1 : 2;
  w.u8((scale << 2) | order);
  w.uvarint(exceptions.length);
  let last = 0;
  for (const i of exceptions) {
    w.uvarint(i - last);
    if (stale?.[i]) w.stale();
    else w.f64(vs[i]);
    last = i;
  }
  for (let i = 0; i < n; i++) {
    if (order === 0 || i === 0) w.varint(scaled[i]);
    else if (order === 1 || i === 1) w.varint(scaled[i] - scaled[i - 1]);
    else w.varint(scaled[i] - 2 * scaled[i - 1] + scaled[i - 2]);
  }
}

/**
 * Reads `n` values written by `writeValues`, setting `stale[i]` for each value stored as the
 * staleness marker (told by its stored bits, so a NaN's payload in memory never decides).
 */
export function readValues(r: ByteReader, n: number, stale?: Uint8Array): number[] {
  if (!n) return [];
  const mode = r.u8();
  if (mode === XOR_MODE) return decodeXorValues(r.take(r.uvarint()), n, stale);
  if (mode === RAW_MODE) {
    const raw = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      if (stale && r.staleNext()) stale[i] = 1;
      raw[i] = r.f64();
    }
    return raw;
  }
  const order = mode & 3;
  const p = POW10[mode >> 2];
  // Most columns have no exceptions: no map for them (rollup entries read many tiny columns).
  let exceptions: Map<number, number> | undefined;
  let at = 0;
  for (let e = r.uvarint(); e > 0; e--) {
    at += r.uvarint();
    if (stale && r.staleNext()) stale[at] = 1;
    exceptions ??= new Map();
    exceptions.set(at, r.f64());
  }
  const out = new Array<number>(n);
  let prev = 0;
  let prevDelta = 0;
  for (let i = 0; i < n; i++) {
    const x = r.varint();
    let s: number;
    if (order === 0 || i === 0) s = x;
    else if (order === 1 || i === 1) s = prev + x;
    else s = prev + prevDelta + x;
    if (i > 0) prevDelta = s - prev;
    prev = s;
    out[i] = s / p;
  }
  if (exceptions) for (const [i, v] of exceptions) out[i] = v;
  return out;
}

/** A value column on its own. */
export function encodeValues(vs: number[]): Uint8Array {
  const w = new ByteWriter(vs.length * 2 + 16);
  writeValues(w, vs);
  return w.finish();
}
