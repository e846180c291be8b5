import type { ByteReader, ByteWriter } from './bytes';
import type { RollupBucket } from './rollup';
import type { Sketch } from './sketch';
import { readValues, writeValues } from './values';

/**
 * Rollup buckets of one series and resolution in columns: starts as bucket steps from `base`,
 * counts, then sums, minima and maxima as value columns, then each sketch's bins as deltas.
 */
export function writeBuckets(w: ByteWriter, buckets: RollupBucket[], base: number, width: number): void {
  w.uvarint(buckets.length);
  let prev = base;
  for (const b of buckets) {
    w.varint((b.start - prev) / width);
    prev = b.start;
  }
  for (const b of buckets) w.uvarint(b.count);
  writeValues(
    w,
    buckets.map((b) => b.sum),
  );
  writeValues(
    w,
    buckets.map((b) => b.min),
  );
  writeValues(
    w,
    buckets.map((b) => b.max),
  );
  for (const b of buckets) writeSketch(w, b.sketch);
}

export function readBuckets(r: ByteReader, base: number, width: number): RollupBucket[] {
  const n = r.uvarint();
  const starts: number[] = [];
  let prev = base;
  for (let i = 0; i < n; i++) {
    prev += r.varint() * width;
    starts.push(prev);
  }
  const counts = starts.map(() => r.uvarint());
  const sums = readValues(r, n);
  const mins = readValues(r, n);
  const maxs = readValues(r, n);
  return starts.map((start, i) => ({
    start,
    count: counts[i],
    sum: sums[i],
    min: mins[i],
    max: maxs[i],
    sketch: readSketch(r),
  }));
}

function writeSide(w: ByteWriter, side: Record<string, number>): void {
  const bins = Object.keys(side)
    .map(Number)
    .sort((a, b) => a - b);
  w.uvarint(bins.length);
  let prev = 0;
  for (const bin of bins) {
    w.varint(bin - prev);
    w.uvarint(side[bin]);
    prev = bin;
  }
}

function readSide(r: ByteReader): Record<string, number> {
  const side: Record<string, number> = {};
  let prev = 0;
  for (let n = r.uvarint(); n > 0; n--) {
    prev += r.varint();
    side[prev] = r.uvarint();
  }
  return side;
}

export function writeSketch(w: ByteWriter, s: Sketch): void {
  w.uvarint(s.z);
  writeSide(w, s.p);
  writeSide(w, s.n);
}

export function readSketch(r: ByteReader): Sketch {
  const z = r.uvarint();
  const p = readSide(r);
  return { z, p, n: readSide(r) };
}
