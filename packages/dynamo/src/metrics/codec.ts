import { gunzipSync, gzipSync } from 'node:zlib';

/** A segment's payload: samples of many series, in arrival order. */
export interface SegmentPayload {
  /** [series id, [[ms, value], …]] */
  series: Array<[string, Array<[number, number]>]>;
}

const special = (v: number) =>
  Number.isNaN(v)
    ? { n: encodeNaN(v) }
    : v === Number.POSITIVE_INFINITY
      ? '+Inf'
      : v === Number.NEGATIVE_INFINITY
        ? '-Inf'
        : v;

const view = new DataView(new ArrayBuffer(8));
function encodeNaN(v: number): string {
  view.setFloat64(0, v);
  return `${view.getUint32(0).toString(16)}:${view.getUint32(4).toString(16)}`;
}
function decodeNaN(bits: string): number {
  const [hi, lo] = bits.split(':');
  view.setUint32(0, Number.parseInt(hi, 16));
  view.setUint32(4, Number.parseInt(lo, 16));
  return view.getFloat64(0);
}

/** gzip JSON with NaN payloads (stale markers) and infinities kept exactly. */
export function encodeSegment(payload: SegmentPayload): Uint8Array {
  const json = JSON.stringify({
    series: payload.series.map(([id, samples]) => [id, samples.map(([t, v]) => [t, special(v)])]),
  });
  return gzipSync(json);
}

export function decodeSegment(bytes: Uint8Array): SegmentPayload {
  const raw = JSON.parse(gunzipSync(bytes).toString('utf8')) as {
    series: Array<[string, Array<[number, number | string | { n: string }]>]>;
  };
  return {
    series: raw.series.map(([id, samples]) => [
      id,
      samples.map(([t, v]) => [
        t,
        typeof v === 'number'
          ? v
          : typeof v === 'string'
            ? v === '+Inf'
              ? Number.POSITIVE_INFINITY
              : Number.NEGATIVE_INFINITY
            : decodeNaN(v.n),
      ]),
    ]),
  };
}
