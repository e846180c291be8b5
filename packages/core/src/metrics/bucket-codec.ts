import type { ByteReader, ByteWriter } from './bytes';
import type { RollupBucket } from './rollup';
import { addToSketch, emptySketch, type Sketch, sketchIndex } from './sketch';
import { readValues, writeValues } from './values';

/**
 * Rollup buckets of one series and resolution in columns: starts as bucket steps from `base`,
 * counts, minima, then — for buckets of two samples or more — sums and maxima, and — for three
 * or more — the sketch bins as deltas from the bin of the maximum (or minimum). What a bucket
 * of one or two samples leaves out follows from its minimum and maximum.
 */
export function writeBuckets(w: ByteWriter, buckets: RollupBucket[], base: number, width: number): void {
  w.uvarint(buckets.length);
  let prev = base;
  for (const b of buckets) {
    w.varint((b.start - prev) / width);
    prev = b.start;
  }
  for (const b of buckets) w.uvarint(b.count);
  const several = buckets.filter((b) => b.count > 1);
  writeValues(
    w,
    buckets.map((b) => b.min),
  );
  writeValues(
    w,
    several.map((b) => b.sum),
  );
  writeValues(
    w,
    several.map((b) => b.max),
  );
  for (const b of buckets) if (b.count > 2) writeSketch(w, b.sketch, b.min, b.max);
}

/** The sketch of buckets read without sketches: empty, shared, never written to. */
const NO_SKETCH: Sketch = Object.freeze({ p: Object.freeze({}), n: Object.freeze({}), z: 0 });

/** Reads buckets written by `writeBuckets`; without `sketches`, their sketches stay empty. */
export function readBuckets(r: ByteReader, base: number, width: number, sketches = true): RollupBucket[] {
  const n = r.uvarint();
  const starts: number[] = [];
  let prev = base;
  for (let i = 0; i < n; i++) {
    prev += r.varint() * width;
    starts.push(prev);
  }
  const counts = starts.map(() => r.uvarint());
  const mins = readValues(r, n);
  const m = counts.filter((c) => c > 1).length;
  const sums = readValues(r, m);
  const maxs = readValues(r, m);
  let j = 0;
  return starts.map((start, i) => {
    const min = mins[i];
    const count = counts[i];
    if (count === 1) {
      const sketch = sketches ? emptySketch() : NO_SKETCH;
      if (sketches) addToSketch(sketch, min);
      return { start, count, sum: 0 + min, min, max: min, sketch };
    }
    const sum = sums[j];
    const max = maxs[j++];
    let sketch: Sketch;
    if (!sketches) sketch = NO_SKETCH;
    else if (count === 2) {
      sketch = emptySketch();
      addToSketch(sketch, min);
      addToSketch(sketch, max);
    } else sketch = readSketch(r, min, max);
    return { start, count, sum, min, max, sketch };
  });
}

/** The bin a side's first delta is taken from: that of the extreme on its side, if any. */
const anchor = (v: number) => (Number.isFinite(v) && Math.abs(v) >= 1e-9 ? sketchIndex(Math.abs(v)) : 0);

function writeSide(w: ByteWriter, side: Record<string, number>, from: number): void {
  const bins = Object.keys(side)
    .map(Number)
    .sort((a, b) => b - a);
  w.uvarint(bins.length);
  let prev = from;
  for (const bin of bins) {
    w.varint(prev - bin);
    w.uvarint(side[bin]);
    prev = bin;
  }
}

function readSide(r: ByteReader, from: number): Record<string, number> {
  const side: Record<string, number> = {};
  let prev = from;
  for (let n = r.uvarint(); n > 0; n--) {
    prev -= r.varint();
    side[prev] = r.uvarint();
  }
  return side;
}

/** A sketch, its bins largest first from those of `max` (positive) and `min` (negative side). */
export function writeSketch(w: ByteWriter, s: Sketch, min: number, max: number): void {
  w.uvarint(s.z);
  writeSide(w, s.p, anchor(max));
  writeSide(w, s.n, anchor(min));
}

export function readSketch(r: ByteReader, min: number, max: number): Sketch {
  const z = r.uvarint();
  const p = readSide(r, anchor(max));
  return { z, p, n: readSide(r, anchor(min)) };
}
