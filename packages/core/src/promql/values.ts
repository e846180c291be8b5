import type { Labels } from './labels';

/** Prometheus's staleness marker: a NaN with a particular bit pattern. */
const STALE_HIGH = 0x7ff00000;
const STALE_LOW = 0x00000002;
const QUIET_BIT = 0x00080000;
const view = new DataView(new ArrayBuffer(8));

export function staleNaN(): number {
  view.setUint32(0, STALE_HIGH);
  view.setUint32(4, STALE_LOW);
  return view.getFloat64(0);
}

/**
 * Whether `v` is the staleness marker. V8 sets the quiet bit of a signalling NaN stored in a
 * number array (0x7ff0000000000002 reads back as 0x7ff8000000000002), so the quiet bit is
 * ignored: the payload is what marks staleness.
 */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  view.setFloat64(0, v);
  return (view.getUint32(0) & ~QUIET_BIT) === STALE_HIGH && view.getUint32(4) === STALE_LOW;
}

/** Raw samples of one series, sorted by time (ms). */
export interface RawSeries {
  labels: Labels;
  ts: number[];
  vs: number[];
  /**
   * 1 where the sample is a staleness marker, as the store decoded it from the stored bits.
   * Without it, a value is a marker when it carries the marker's NaN payload.
   */
  stale?: Uint8Array;
}

/** Whether the i-th sample of a series is a staleness marker. */
export function isStaleAt(series: RawSeries, i: number): boolean {
  return series.stale ? series.stale[i] === 1 : isStaleNaN(series.vs[i]);
}

/** One element of an instant vector. */
export interface Sample {
  labels: Labels;
  value: number;
}

export type Vector = Sample[];

/** Results of an evaluation step. */
export type Value =
  | { type: 'vector'; vector: Vector }
  | { type: 'scalar'; value: number }
  | { type: 'string'; value: string }
  | { type: 'matrix'; series: RawSeries[] };

/** Formats a sample value as the Prometheus HTTP API does (Go's 'f' format, -1 precision). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const s = String(v);
  if (!/e/i.test(s)) return s;
  const [mantissa, expText] = s.split(/e/i);
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const pointAt =
    (mantissa.replace('-', '').indexOf('.') === -1
      ? mantissa.replace('-', '').length
      : mantissa.replace('-', '').indexOf('.')) + exp;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return (negative ? '-' : '') + out;
}

/** Unix seconds as the API prints them (ms precision). */
export function formatTime(ms: number): number {
  return ms / 1000;
}
