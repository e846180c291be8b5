import { STALE } from '@vigil/core/metrics';
import fc from 'fast-check';
import { compress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { decodeRemoteWrite, WriteRequest } from './remote-write';

/** What the decoder gave when it copied the message with toObject first: the expected result. */
function viaToObject(raw: Uint8Array) {
  const decoded = WriteRequest.toObject(WriteRequest.decode(raw), { longs: Number, defaults: true }) as {
    timeseries?: Array<{
      labels?: Array<{ name?: string; value?: string }>;
      samples?: Array<{ value?: number; timestamp?: number }>;
    }>;
  };
  return (decoded.timeseries ?? []).map((ts) => {
    const labels: Record<string, string> = {};
    let name = '';
    for (const l of ts.labels ?? []) {
      if (l.name === '__name__') name = l.value ?? '';
      else if (l.name) labels[l.name] = l.value ?? '';
    }
    return { name, labels, samples: (ts.samples ?? []).map((s) => [Number(s.timestamp ?? 0), s.value ?? 0]) };
  });
}

const label = fc.record(
  {
    name: fc.oneof(fc.constantFrom('__name__', 'job', 'instance', ''), fc.string({ maxLength: 4 })),
    value: fc.string({ maxLength: 6 }),
  },
  { requiredKeys: [] },
);
const sample = fc.record(
  {
    value: fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0)),
    timestamp: fc.oneof(
      fc.integer({ min: -1e6, max: 2e12 }),
      fc.constantFrom(0, 1_793_491_200_000, 2 ** 53 - 1),
    ),
  },
  { requiredKeys: [] },
);
const request = fc.record({
  timeseries: fc.array(
    fc.record(
      { labels: fc.array(label, { maxLength: 4 }), samples: fc.array(sample, { maxLength: 3 }) },
      { requiredKeys: [] },
    ),
    { maxLength: 4 },
  ),
});

describe('decodeRemoteWrite', () => {
  it('reads every series, label and sample exactly as a full copy of the message would', () => {
    fc.assert(
      fc.property(request, (value) => {
        const raw = WriteRequest.encode(WriteRequest.fromObject(value)).finish();
        expect(decodeRemoteWrite(compress(raw))).toStrictEqual(viaToObject(raw));
      }),
      { numRuns: 300 },
    );
  });

  it("flags Prometheus's staleness marker by its bytes, and no other NaN", () => {
    const bits = (hex: string) => Buffer.from(hex, 'hex').readDoubleBE(0);
    const values = [
      bits('7ff0000000000002'),
      bits('7ff8000000000002'),
      Number.NaN,
      bits('7ff0000000000003'),
      0,
      1.5,
    ];
    const raw = WriteRequest.encode(
      WriteRequest.fromObject({
        timeseries: [
          {
            labels: [{ name: '__name__', value: 'up' }],
            samples: values.map((value, i) => ({ value, timestamp: 1000 * (i + 1) })),
          },
        ],
      }),
    ).finish();
    const [series] = decodeRemoteWrite(compress(raw));
    expect(series.samples.map((s) => s[2] === STALE)).toEqual([true, true, false, false, false, false]);
    expect(series.samples.map((s) => s[0])).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
    expect(series.samples.slice(4).map((s) => s[1])).toEqual([0, 1.5]);
  });

  it('refuses a body that is not snappy or not a WriteRequest, naming the body', () => {
    expect(() => decodeRemoteWrite(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(/snappy|WriteRequest/);
    expect(() => decodeRemoteWrite(compress(new Uint8Array([0x0a, 0x05, 0x01])))).toThrow(/WriteRequest/);
  });
});
