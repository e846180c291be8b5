import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateInstant } from '../promql/engine';
import { isStaleNaN, type RawSeries } from '../promql/values';
import { decodeBlock, encodeBlock } from './block';
import { ByteReader, ByteWriter } from './bytes';
import { validateSeries } from './series';
import { type Sample, STALE, sampleColumns, staleFlags, staleSample } from './stale';
import { readValues, writeValues } from './values';

/** Prometheus's marker with its payload, as an older version stored it (no flag anywhere). */
const MARKER = new DataView(new Uint8Array([0x7f, 0xf0, 0, 0, 0, 0, 0, 2]).buffer).getFloat64(0);
const flagsOf = (n: number, at: number[]) =>
  Uint8Array.from({ length: n }, (_, i) => (at.includes(i) ? 1 : 0));
const roundTrip = (vs: number[], stale: Uint8Array, fallback?: 'raw') => {
  const w = new ByteWriter();
  writeValues(w, vs, fallback ?? 'xor', stale);
  const got = new Uint8Array(vs.length);
  const values = readValues(new ByteReader(w.finish()), vs.length, got);
  return { values, stale: got };
};

describe('staleness markers, carried explicitly', () => {
  it('tells a marker from an ordinary NaN in every value column, even when the number lost its payload', () => {
    // Flagged markers stand as plain NaN (what V8 may leave of the payload); index 3 is a real NaN.
    const columns: Array<[string, number[], 'raw' | undefined]> = [
      ['decimal', [1.5, Number.NaN, 2.25, Number.NaN, 3, 4, 5, 6, 7], undefined],
      ['xor', [1 / 3, Number.NaN, Math.PI, Number.NaN, Math.E], undefined],
      ['raw', [1 / 3, Number.NaN, Math.PI, Number.NaN, Math.E], 'raw'],
    ];
    for (const [mode, vs, fallback] of columns) {
      const got = roundTrip(vs, flagsOf(vs.length, [1]), fallback);
      expect([...got.stale], mode).toEqual([...flagsOf(vs.length, [1])]);
      expect(Number.isNaN(got.values[3]) && !isStaleNaN(got.values[3]), mode).toBe(true);
      expect(Number.isNaN(got.values[1]), mode).toBe(true);
    }
  });

  it('round-trips any flags with any values, ordinary NaNs never read as markers', () => {
    const value = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }).map((s) => s / 100),
      fc.double(),
      fc.constant(Number.NaN),
    );
    const column = fc.array(fc.tuple(value, fc.boolean()), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(column, fc.constantFrom<'raw' | undefined>('raw', undefined), (pairs, fallback) => {
        const vs = pairs.map(([v, marker]) => (marker ? Number.NaN : v));
        const flags = Uint8Array.from(pairs, ([, marker]) => (marker ? 1 : 0));
        const got = roundTrip(vs, flags, fallback);
        expect([...got.stale]).toEqual([...flags]);
        const ts = vs.map((_, i) => 1_000 * (i + 1));
        const block = decodeBlock(encodeBlock(ts, vs, 0, flags));
        expect([...(block.stale ?? new Uint8Array(vs.length))]).toEqual([...flags]);
        got.values.forEach((v, i) => {
          if (!flags[i]) expect(Object.is(v, vs[i]) || (Number.isNaN(v) && Number.isNaN(vs[i]))).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads blocks written before markers were flagged: the stored bits tell the marker', () => {
    // Blocks of [x, MARKER, NaN, …] at 1000, 2000, … as the previous version wrote them.
    const written = {
      // decimal column, the marker and the NaN as exceptions
      decimal: '0109d00fd00f000000000000000a02017ff0000000000002017ff8000000000000ac02000096010032000000',
      // XOR column
      xor: '0104d00fd00f0000ff223fd5555555555555c3fc02555555555555780040000000000014ffc487ed5110b460',
    };
    for (const [mode, hex] of Object.entries(written)) {
      const block = decodeBlock(Uint8Array.from(Buffer.from(hex, 'hex')));
      expect(block.ts.slice(0, 4), mode).toEqual([1000, 2000, 3000, 4000]);
      expect([...(block.stale ?? [])].slice(0, 4), mode).toEqual([0, 1, 0, 0]);
      expect(block.stale?.includes(1, 2), mode).toBe(false);
      expect(Number.isNaN(block.vs[2]) && !isStaleNaN(block.vs[2]), mode).toBe(true);
    }
    const raw = new ByteWriter();
    writeValues(raw, [1 / 3, MARKER, Number.NaN, Math.PI], 'raw');
    const stale = new Uint8Array(4);
    readValues(new ByteReader(raw.finish()), 4, stale);
    expect([...stale]).toEqual([0, 1, 0, 0]);
  });

  it('keeps the flag through validation, and columns of samples by time flag it', () => {
    const { series } = validateSeries(
      { name: 'up', labels: {}, samples: [[1, 1], staleSample(2), [3, Number.NaN]] },
      0,
    );
    expect(series?.samples.map((s) => s[2] === STALE)).toEqual([false, true, false]);
    expect([...(staleFlags(series?.samples as Sample[]) ?? [])]).toEqual([0, 1, 0]);
    // A client's JSON cannot flag a marker: only a symbol does.
    const json = JSON.parse('[[1, 1, true], [2, 2, "stale"]]');
    expect(validateSeries({ name: 'up', labels: {}, samples: json }, 0).series?.samples).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const columns = sampleColumns(
      new Map<number, number | typeof STALE>([
        [2, STALE],
        [1, Number.NaN],
      ]),
    );
    expect(columns.ts).toEqual([1, 2]);
    expect([...(columns.stale ?? [])]).toEqual([0, 1]);
  });

  it('ends the lookback at a flagged marker, and answers an ordinary NaN as NaN', async () => {
    const T = 1_800_000_000_000;
    // Both series' last values are plain NaN numbers: only the flag says which is a marker.
    const data: RawSeries[] = [
      {
        labels: { __name__: 'x', job: 'gone' },
        ts: [T - 60_000, T - 30_000],
        vs: [1, Number.NaN],
        stale: flagsOf(2, [1]),
      },
      {
        labels: { __name__: 'x', job: 'nan' },
        ts: [T - 60_000, T - 30_000],
        vs: [1, Number.NaN],
        stale: flagsOf(2, []),
      },
    ];
    const result = await evaluateInstant('x', { select: async () => data }, T);
    expect(result.resultType === 'vector' && result.vector.map((s) => [s.labels.job, s.value])).toEqual([
      ['nan', Number.NaN],
    ]);
    const window = await evaluateInstant('count_over_time(x[5m])', { select: async () => data }, T);
    expect(window.resultType === 'vector' && window.vector.map((s) => [s.labels.job, s.value])).toEqual([
      ['gone', 1],
      ['nan', 2],
    ]);
  });
});
