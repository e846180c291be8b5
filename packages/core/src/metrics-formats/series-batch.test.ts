import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../errors';
import type { SeriesInput } from '../events';
import { LIMITS, type NormalizedSeries, validateSeries } from '../metrics/series';
import { STALE } from '../metrics/stale';
import { translateOtlpMetrics } from './otlp';
import { collectOtlpMetrics } from './otlp-batch';
import { emptySeriesSlots, SeriesBatch } from './series-batch';

/**
 * The specification a batch must meet: every entry checked by `validateSeries` on its own, the
 * valid ones merged by series id in the order first seen, the first 100 errors kept.
 */
function reference(input: SeriesInput[]) {
  const valid: NormalizedSeries[] = [];
  const errors: FieldError[] = [];
  let rejected = 0;
  input.forEach((s, i) => {
    const { series, errors: wrong } = validateSeries(s, i);
    if (series) valid.push(series);
    else {
      rejected += Array.isArray(s?.samples) ? Math.max(1, s.samples.length) : 1;
      errors.push(...wrong);
    }
  });
  const byId = new Map<string, NormalizedSeries>();
  for (const s of valid) {
    const existing = byId.get(s.id);
    if (existing) byId.set(s.id, { ...existing, samples: [...existing.samples, ...s.samples] });
    else byId.set(s.id, s);
  }
  const series = [...byId.values()];
  return {
    series,
    accepted: series.reduce((n, s) => n + s.samples.length, 0),
    rejected,
    errors: errors.slice(0, 100),
    entries: input.length,
    samples: input.reduce((n, s) => n + (Array.isArray(s?.samples) ? s.samples.length : 0), 0),
  };
}

/** The batch's outcome; the memos stores keep their numbers in are not part of a series' value. */
function outcome(batch: SeriesBatch) {
  const result = batch.result();
  const series = result.series.map(({ memo: _memo, ...s }) => s);
  return { ...result, series, entries: batch.entries, samples: batch.samples };
}

/** Equal values, and equal key order in every label set (it is what the index stores). */
function expectSame(actual: ReturnType<typeof reference>, expected: ReturnType<typeof reference>) {
  expect(actual).toStrictEqual(expected);
  expect(actual.series.map((s) => Object.keys(s.labels))).toEqual(
    expected.series.map((s) => Object.keys(s.labels)),
  );
}

const T0 = Date.parse('2026-11-01T00:00:00Z');

/** Attribute keys and texts that are ordinary, invalid as labels, or look like key separators. */
const attrKey = fc.oneof(
  fc.constantFrom('host', 'slot', 'http.method', 'service.name', 'service.instance.id', '__hidden', '1st'),
  fc.constantFrom('constructor', 'toString', '__proto__', 'le', 'quantile', '', 'a\u0000b', '3:abc'),
  fc.string({ maxLength: 6 }),
);
const text = fc.oneof(
  fc.constantFrom('a', 'b', '', '1:a', '\u0000', 'x'.repeat(LIMITS.labelValueLength + 1)),
  fc.string({ maxLength: 5 }),
);
const anyValue = fc.oneof(
  text.map((stringValue) => ({ stringValue })),
  fc.oneof(fc.integer({ min: -5, max: 5 }).map(String), fc.integer({ min: -5, max: 5 })).map((intValue) => ({
    intValue,
  })),
  fc.constantFrom({ doubleValue: 1.5 }, { boolValue: true }, { boolValue: false }, {}),
  fc.constantFrom(
    { arrayValue: { values: [{ stringValue: 'x' }] } },
    { stringValue: 7 },
    { bytesValue: 'AAE=' },
  ),
);
const attributes = fc.array(fc.record({ key: attrKey, value: anyValue }), { maxLength: 4 });
const manyAttributes = fc.constant(
  Array.from({ length: LIMITS.labelsPerSeries + 1 }, (_, i) => ({
    key: `k${i}`,
    value: { stringValue: 'v' },
  })),
);
const time = fc.oneof(
  fc.constantFrom(`${T0}000000`, `${T0 + 15_000}000000`, '0', '', undefined, 0),
  fc.integer({ min: 0, max: 2_000_000 }).map((n) => `${T0 + n}000000`),
  fc.constantFrom(`${T0}000123`, '5', T0 * 1e6, '99999999999999999999999'),
);
const point = fc.record(
  {
    attributes: fc.oneof({ weight: 4, arbitrary: attributes }, manyAttributes, fc.constant(undefined)),
    timeUnixNano: time,
    asDouble: fc.oneof(fc.double(), fc.constant('NaN')),
    asInt: fc.constantFrom('12', 3),
    // Bit 0: no recorded value, a staleness marker.
    flags: fc.constantFrom(0, 1, 3),
    count: fc.constantFrom('4', 9),
    sum: fc.double({ noNaN: true }),
    bucketCounts: fc.array(fc.constantFrom('1', 2, '0'), { maxLength: 4 }),
    explicitBounds: fc.array(fc.double({ noNaN: true }), { maxLength: 3 }),
    quantileValues: fc.array(fc.record({ quantile: fc.double({ min: 0, max: 1 }), value: fc.double() }), {
      maxLength: 3,
    }),
  },
  { requiredKeys: ['timeUnixNano'] },
);
const points = fc.array(point, { maxLength: 4 });
const metricName = fc.oneof(
  fc.constantFrom('http.server.duration', 'queue_depth', 'requests_total', 'cpu', 'bad-name!', '', '9lives'),
  fc.string({ maxLength: 4 }),
);
const metric = fc.oneof(
  fc.record({ name: metricName, gauge: fc.record({ dataPoints: points }) }),
  fc.record({
    name: metricName,
    sum: fc.record({
      dataPoints: points,
      isMonotonic: fc.boolean(),
      aggregationTemporality: fc.constantFrom(1, 2),
    }),
  }),
  fc.record({
    name: metricName,
    histogram: fc.record({ dataPoints: points, aggregationTemporality: fc.constantFrom(1, 2, undefined) }),
  }),
  fc.record({ name: metricName, summary: fc.record({ dataPoints: points }) }),
  fc.record({ name: metricName, exponentialHistogram: fc.record({ dataPoints: points }) }),
  fc.record({ name: metricName }),
);
const resource = fc.record({
  resource: fc.record({
    attributes: fc.oneof(attributes, fc.constant([{ key: 'service.name', value: { stringValue: 'api' } }])),
  }),
  scopeMetrics: fc.array(fc.record({ metrics: fc.array(metric, { maxLength: 4 }) }), { maxLength: 2 }),
});
const exportRequest = fc.record({ resourceMetrics: fc.array(resource, { maxLength: 3 }) });

describe('SeriesBatch', () => {
  it('adds OTLP exports exactly as translating them and checking every series would', () => {
    fc.assert(
      fc.property(fc.array(exportRequest, { minLength: 1, maxLength: 3 }), (requests) => {
        // Several requests in a row: later ones find label sets the earlier ones checked.
        for (const body of requests) {
          const translated = translateOtlpMetrics(body, T0);
          const batch = new SeriesBatch();
          const rejections = collectOtlpMetrics(body, T0, batch);
          expect(rejections).toEqual({
            rejectedDataPoints: translated.rejectedDataPoints,
            messages: translated.messages,
          });
          expectSame(outcome(batch), reference(translated.series));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('adds a point flagged "no recorded value" as a staleness marker, in both OTLP paths', () => {
    const body = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'queue_depth',
                  gauge: {
                    dataPoints: [
                      { timeUnixNano: `${T0}000000`, asDouble: 3 },
                      { timeUnixNano: `${T0 + 1000}000000`, flags: 1 },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const batch = new SeriesBatch();
    collectOtlpMetrics(body, T0, batch);
    for (const samples of [
      batch.result().series[0].samples,
      translateOtlpMetrics(body, T0).series.flatMap((s) => s.samples),
    ])
      expect(samples.map((s) => [s[0], s[2] === STALE])).toEqual([
        [T0, false],
        [T0 + 1000, true],
      ]);
  });

  it('tells apart label sets whose parts look like one another', () => {
    const str = (stringValue: string) => ({ stringValue });
    const at = `${T0}000000`;
    const gauge = (name: string, attributes: unknown[], resource: unknown[] = []) => ({
      resource: { attributes: resource },
      scopeMetrics: [
        { metrics: [{ name, gauge: { dataPoints: [{ attributes, asDouble: 1, timeUnixNano: at }] } }] },
      ],
    });
    // Each pair would share a key if the parts of a key were simply joined.
    const pairs = [
      [
        gauge('m', [{ key: 'a', value: str('b1:c1:d') }]),
        gauge('m', [
          { key: 'a', value: str('b') },
          { key: 'c', value: str('d') },
        ]),
      ],
      [
        gauge('m', [
          { key: 'ab', value: str('') },
          { key: 'x', value: str('y') },
        ]),
        gauge('m', [
          { key: 'a', value: str('b') },
          { key: 'x', value: str('y') },
        ]),
      ],
      [
        gauge('m', [{ key: 'slot', value: { intValue: '7' } }]),
        gauge('m', [{ key: 'slot', value: str('7') }]),
      ],
      [gauge('m', [], [{ key: 'a', value: str('bc') }]), gauge('m', [], [{ key: 'ab', value: str('c') }])],
      [
        // A summary named like a histogram's buckets, with a quantile equal to a bound.
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'x_bucket',
                  summary: {
                    dataPoints: [{ quantileValues: [{ quantile: 0.5, value: 1 }], timeUnixNano: at }],
                  },
                },
              ],
            },
          ],
        },
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'x',
                  histogram: {
                    dataPoints: [{ explicitBounds: [0.5], bucketCounts: [1, 0], count: 1, timeUnixNano: at }],
                  },
                },
              ],
            },
          ],
        },
      ],
    ];
    for (const [first, second] of pairs) {
      // In one request, and in two requests one after the other.
      const body = { resourceMetrics: [first, second] };
      const batch = new SeriesBatch();
      collectOtlpMetrics(body, T0, batch);
      expectSame(outcome(batch), reference(translateOtlpMetrics(body, T0).series));
      for (const alone of [first, second]) {
        const single = { resourceMetrics: [alone] };
        const next = new SeriesBatch();
        collectOtlpMetrics(single, T0, next);
        expectSame(outcome(next), reference(translateOtlpMetrics(single, T0).series));
      }
    }
  });

  it('adds series in Vigil JSON exactly as checking each one and merging by id would', () => {
    const labels = fc.dictionary(attrKey, fc.oneof(text, fc.constant(5 as unknown as string)), {
      maxKeys: 4,
    });
    const sample = fc.oneof(
      fc.tuple(
        fc.constantFrom(T0, T0 + 1, -1, 1.5, 9e15),
        fc.oneof(fc.double(), fc.constantFrom('NaN', '+Inf', 'x')),
      ),
      fc.constantFrom([T0], 'bad', null),
    );
    const series = fc.record({
      name: fc.oneof(metricName, fc.constant(3 as unknown as string)),
      labels: fc.oneof(labels, fc.constant(undefined), fc.constant([] as unknown as Record<string, string>)),
      samples: fc.oneof(fc.array(sample, { maxLength: 3 }), fc.constant(undefined)),
    });
    fc.assert(
      fc.property(fc.array(series as fc.Arbitrary<SeriesInput>, { maxLength: 8 }), (input) => {
        const batch = new SeriesBatch();
        for (const s of structuredClone(input)) batch.add(s);
        expectSame(outcome(batch), reference(structuredClone(input)));
      }),
      { numRuns: 300 },
    );
  });

  it('merges the entries of a series even when the slots are emptied while a batch is filled', () => {
    const body = (value: number) => ({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: 'm', gauge: { dataPoints: [{ asDouble: value, timeUnixNano: `${T0}000000` }] } },
              ],
            },
          ],
        },
      ],
    });
    const input: SeriesInput[] = [
      { name: 'm', labels: {}, samples: [[T0 + 1, 1]] },
      { name: 'other', labels: {}, samples: [[T0, 5]] },
      { name: 'm', labels: {}, samples: [[T0 + 2, 2]] },
    ];
    const batch = new SeriesBatch();
    collectOtlpMetrics(body(0), T0, batch);
    batch.add(input[0]);
    emptySeriesSlots();
    batch.add(input[1]);
    collectOtlpMetrics(body(3), T0, batch);
    batch.add(input[2]);
    const expected = reference([
      ...translateOtlpMetrics(body(0), T0).series,
      input[0],
      input[1],
      ...translateOtlpMetrics(body(3), T0).series,
      input[2],
    ]);
    expectSame(outcome(batch), expected);
    expect(batch.result().series.map((s) => s.samples.length)).toEqual([4, 1]);

    // The next batch finds the label set checked before the slots were emptied.
    const next = new SeriesBatch();
    collectOtlpMetrics(body(1), T0, next);
    next.add(input[0]);
    expectSame(outcome(next), reference([...translateOtlpMetrics(body(1), T0).series, input[0]]));
    expect(next.result().series.map((s) => s.samples.length)).toEqual([2]);
  });

  it('keeps the first 100 errors and counts every rejected sample', () => {
    const batch = new SeriesBatch();
    for (let i = 0; i < 150; i++)
      batch.add({
        name: 'bad name',
        labels: {},
        samples: [
          [T0, 1],
          [T0 + 1, 2],
        ],
      });
    const result = batch.result();
    expect(result.errors).toHaveLength(100);
    expect(result.errors[99].field).toBe('series.99.name');
    expect(result.rejected).toBe(300);
  });
});
