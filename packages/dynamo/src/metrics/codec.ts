import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  deflateRawSync,
  inflateRawSync,
} from 'node:zlib';
import {
  ByteReader,
  ByteWriter,
  readValues,
  type Sample,
  STALE,
  STALE_NAN,
  writeValues,
} from '@vigil/core/metrics';

/** A segment's payload: samples of many series (by series number), as one ingest call sent them. */
export interface SegmentPayload {
  /** [series number, [[ms, value], …]]; staleness markers as `[ms, NaN, STALE]` */
  series: Array<[number, Sample[]]>;
}

const SEGMENT_FORMAT = 2;

/**
 * A segment in columns — series numbers as deltas, sample counts, timestamps as deltas from the
 * previous sample (a scrape's samples share one), values decimal-aware — then deflated. Stale
 * markers and other NaN payloads are kept bit for bit.
 */
export function encodeSegment(payload: SegmentPayload): Uint8Array {
  let entries = payload.series;
  let n = 0;
  let sorted = true;
  for (let e = 0; e < entries.length; e++) {
    n += entries[e][1].length;
    if (e > 0 && entries[e][0] < entries[e - 1][0]) sorted = false;
  }
  // Ingest numbers series in the order it first sees them, so entries mostly come sorted.
  if (!sorted) entries = [...entries].sort((a, b) => a[0] - b[0]);
  const w = new ByteWriter(64 + n * 6);
  w.u8(SEGMENT_FORMAT);
  w.uvarint(entries.length);
  let prevNum = 0;
  for (const [num, samples] of entries) {
    w.uvarint(num - prevNum);
    w.uvarint(samples.length);
    prevNum = num;
  }
  let prevT = 0;
  const values = new Array<number>(n);
  let stale: Uint8Array | undefined;
  let i = 0;
  for (const [, samples] of entries)
    for (const sample of samples) {
      w.varint(sample[0] - prevT);
      prevT = sample[0];
      if (sample[2] === STALE) {
        stale ??= new Uint8Array(n);
        stale[i] = 1;
      }
      values[i++] = sample[1];
    }
  writeValues(w, values, 'raw', stale);
  return deflateRawSync(w.finish(), { level: 6 });
}

export function decodeSegment(bytes: Uint8Array): SegmentPayload {
  const r = new ByteReader(inflateRawSync(bytes));
  const format = r.u8();
  if (format !== SEGMENT_FORMAT) throw new RangeError(`unknown metric segment format ${format}`);
  const heads: Array<[number, number]> = [];
  let num = 0;
  let n = 0;
  for (let e = r.uvarint(); e > 0; e--) {
    num += r.uvarint();
    const count = r.uvarint();
    heads.push([num, count]);
    n += count;
  }
  const ts = new Array<number>(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += r.varint();
    ts[i] = t;
  }
  const stale = new Uint8Array(n);
  const vs = readValues(r, n, stale);
  let i = 0;
  return {
    series: heads.map(([id, count]) => {
      const samples: Sample[] = new Array(count);
      for (let j = 0; j < count; j++, i++) samples[j] = stale[i] ? [ts[i], STALE_NAN, STALE] : [ts[i], vs[i]];
      return [id, samples];
    }),
  };
}

/**
 * First byte of a brotli-compressed packed item. A raw deflate stream never starts with it (its
 * low bits would name the reserved block type), so items deflated before read as they were.
 */
const BROTLI = 0x07;
/** Brotli at quality 10 with a 64 KB window: ~18 % smaller than deflate -9 on packed blocks. */
const BROTLI_OPTIONS = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_LGWIN]: 16 },
};

/**
 * Entries of a packed item: [series number, bytes], compressed together by brotli or deflate,
 * whichever is smaller (compaction writes each item once and readers decompress fast, so it
 * spends the CPU on trying both).
 */
export function packEntries(kind: number, entries: Array<[number, Uint8Array]>): Uint8Array {
  let size = 16;
  for (const [, bytes] of entries) size += bytes.length + 8;
  const w = new ByteWriter(size);
  w.u8(kind);
  w.uvarint(entries.length);
  let prev = 0;
  for (const [num, bytes] of entries) {
    w.uvarint(num - prev);
    w.uvarint(bytes.length);
    w.append(bytes);
    prev = num;
  }
  const plain = w.finish();
  const deflated = deflateRawSync(plain, { level: 9 });
  const packed = brotliCompressSync(plain, BROTLI_OPTIONS);
  // Small items (a few sparse series) come out smaller deflated.
  if (deflated.length <= packed.length + 1) return deflated;
  const out = new Uint8Array(packed.length + 1);
  out[0] = BROTLI;
  out.set(packed, 1);
  return out;
}

export function unpackEntries(kind: number, data: Uint8Array): Array<[number, Uint8Array]> {
  const r = new ByteReader(
    data[0] === BROTLI ? brotliDecompressSync(data.subarray(1)) : inflateRawSync(data),
  );
  const found = r.u8();
  if (found !== kind) throw new RangeError(`metric item of kind ${found}, expected ${kind}`);
  const out: Array<[number, Uint8Array]> = [];
  let num = 0;
  for (let e = r.uvarint(); e > 0; e--) {
    num += r.uvarint();
    out.push([num, r.take(r.uvarint())]);
  }
  return out;
}
