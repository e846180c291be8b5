import { staleNaN } from '../promql/values';

/**
 * Prometheus's staleness marker, carried explicitly. The marker is a NaN with its own payload
 * (0x7ff0000000000002), and V8 may hand back a NaN with another payload once a value has been
 * through a number array, which would turn a marker into an ordinary NaN or the reverse. So a
 * stale sample is `[ms, NaN, STALE]` in memory, a flag in decoded series (`RawSeries.stale`), and
 * Prometheus's exact bits in the stored value columns, which codecs write from the flag and read
 * back into the flag from the bytes, never from a number's payload.
 */
export const STALE: unique symbol = Symbol('stale');
export type Stale = typeof STALE;

/** A sample: `[ms, value]`, or `[ms, NaN, STALE]` for a staleness marker. */
export type Sample = [t: number, v: number, stale?: Stale];

/** The value a stale sample carries, for code that reads values only (a NaN: left out of rollups). */
export const STALE_NAN = staleNaN();

/** A staleness marker at `t`. */
export const staleSample = (t: number): Sample => [t, STALE_NAN, STALE];

/** Flags (1 = stale) of samples, or undefined when none is stale. */
export function staleFlags(samples: readonly Sample[]): Uint8Array | undefined {
  let flags: Uint8Array | undefined;
  for (let i = 0; i < samples.length; i++)
    if (samples[i][2] === STALE) {
      flags ??= new Uint8Array(samples.length);
      flags[i] = 1;
    }
  return flags;
}

/** A value in a map of samples by time: the number, or STALE for a staleness marker. */
export type SampleValue = number | Stale;

/** Samples by time as sorted columns, with the staleness markers flagged (when there are any). */
export function sampleColumns(byTime: Map<number, SampleValue>): {
  ts: number[];
  vs: number[];
  stale?: Uint8Array;
} {
  const ts = [...byTime.keys()].sort((a, b) => a - b);
  const vs = new Array<number>(ts.length);
  let stale: Uint8Array | undefined;
  for (let i = 0; i < ts.length; i++) {
    const v = byTime.get(ts[i]) as SampleValue;
    if (v === STALE) {
      stale ??= new Uint8Array(ts.length);
      stale[i] = 1;
      vs[i] = STALE_NAN;
    } else vs[i] = v;
  }
  return stale ? { ts, vs, stale } : { ts, vs };
}
