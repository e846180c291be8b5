import { ValidationError } from '@vigil/core';
import { SeriesBatch } from '@vigil/core/metrics-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../toolkit/index';
import { NativeBody, readNativeBody } from './native-body';

const T0 = Date.parse('2026-11-01T00:00:00Z');

/** What the zod schema alone makes of a body: its series, or the error it throws. */
function bySchema(body: unknown) {
  try {
    return { series: parseWith(NativeBody, body, 'body').series };
  } catch (error) {
    return { error };
  }
}

function byReader(body: unknown) {
  try {
    return { series: readNativeBody(body) };
  } catch (error) {
    return { error };
  }
}

/** What ingest makes of series: the batch result it stores and reports. */
function ingested(series: unknown[]) {
  const batch = new SeriesBatch();
  for (const s of series) batch.add(s as never);
  return batch.result();
}

const labelValue = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null));
const labels = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.dictionary(
      fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', 'job')),
      fc.string({ maxLength: 4 }),
      { maxKeys: 3 },
    ),
  },
  fc.dictionary(fc.string({ maxLength: 3 }), labelValue, { maxKeys: 3 }),
  fc.constantFrom(undefined, null, [], 'x'),
);
const sample = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(
      fc.constantFrom(T0, T0 + 1, 1.5, -1),
      fc.oneof(
        fc.double({ noDefaultInfinity: true, noNaN: true }),
        fc.constantFrom('NaN', '+Inf', '1e3', 'x'),
      ),
    ),
  },
  fc.constantFrom([T0], [T0, 1, 2], ['1', 2], [T0, null], [T0, true], {}, null, 'x'),
);
const entry = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        name: fc.constantFrom('up', 'http_requests_total', 'bad name', ''),
        labels,
        samples: fc.array(sample, { maxLength: 3 }),
      },
      { requiredKeys: ['name', 'samples'] },
    ),
  },
  fc.record({ name: fc.constantFrom(3, null), samples: fc.constant([[T0, 1]]) }),
  fc.record({ name: fc.constant('up'), samples: fc.constantFrom(undefined, 'x', {}) }),
  fc.record({ name: fc.constant('up'), samples: fc.constant([[T0, 1]]), extra: fc.constant(true) }),
  fc.constantFrom(null, [], 'x', 1),
);
const body = fc.oneof(
  { weight: 8, arbitrary: fc.record({ series: fc.array(entry, { maxLength: 4 }) }) },
  fc.record({ series: fc.array(entry, { maxLength: 2 }), other: fc.constant(1) }),
  fc.constantFrom(undefined, null, [], 'x', {}, { series: 'x' }, { series: null }),
);

describe('readNativeBody', () => {
  it('accepts, refuses and reports exactly what the zod schema does, with the same outcome once ingested', () => {
    fc.assert(
      fc.property(body, (value) => {
        // A round trip through JSON: bodies are always parsed JSON.
        const json = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
        const expected = bySchema(json);
        const actual = byReader(json);
        if (expected.error) {
          expect(actual.error).toBeInstanceOf(ValidationError);
          expect(actual.error).toEqual(expected.error);
          expect((actual.error as ValidationError).errors).toEqual(
            (expected.error as ValidationError).errors,
          );
        } else {
          expect(actual.error).toBeUndefined();
          expect(ingested(actual.series ?? [])).toStrictEqual(ingested(expected.series ?? []));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses more series than the limit, naming the field', () => {
    const series = Array.from({ length: 10_001 }, () => ({ name: 'up', samples: [[T0, 1]] }));
    expect(() => readNativeBody({ series })).toThrow(/series: at most 10000 series per request/);
  });
});
