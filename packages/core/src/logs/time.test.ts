import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoMs, isoTime, isoTimeMs } from './time';

/** Any ms whose ISO-8601 text has a 4-digit year (0000-9999). */
const ms = fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 });
const near = fc.integer({ min: 1_795_000_000_000, max: 1_795_400_000_000 });
const fraction = fc.stringMatching(/^\d{0,12}$/);

/** ISO-8601 texts as loggers write them, and near misses of them. */
const text = fc.oneof(
  fc.oneof(ms, near).map((t) => new Date(t).toISOString()),
  // Other fraction lengths: none, 1-2 digits, µs, ns, longer.
  fc
    .tuple(fc.oneof(ms, near), fraction)
    .map(([t, f]) => `${new Date(t).toISOString().slice(0, 19)}${f === '' ? '' : `.${f}`}Z`),
  // Fields out of range: month 13, Feb 29-31, hour 24, minute or second 60.
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 60 }),
    )
    .map(([y, mo, d, h, mi, s]) => {
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.000Z`;
    }),
  // One character replaced: separators, signs, letters, offsets, spaces.
  fc
    .tuple(
      fc.oneof(ms, near).map((t) => new Date(t).toISOString()),
      fc.nat(),
      fc.constantFrom('0', '9', '-', ':', '.', 'T', 't', 'z', ' ', '+', '/', 'a', '\u0660', ''),
    )
    .map(([s, at, c]) => s.slice(0, at % s.length) + c + s.slice((at % s.length) + 1)),
  fc.oneof(ms, near).map((t) => new Date(t).toISOString().replace('Z', '+02:00')),
  fc.oneof(ms, near).map((t) => new Date(t).toISOString().replace('.000Z', 'Z').replace('T', ' ')),
  fc.string({ maxLength: 30 }),
  // Month ends, leap days (every 4th year but not 100th, unless 400th), the first and last ms.
  fc
    .tuple(
      fc.constantFrom(0, 1600, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 9999),
      fc.constantFrom('01-31', '02-28', '02-29', '02-30', '04-30', '04-31', '12-31', '12-32'),
      fc.constantFrom('T00:00:00.000Z', 'T23:59:59.999Z', 'T24:00:00.000Z', 'T12:00:00Z'),
    )
    .map(([y, md, t]) => `${String(y).padStart(4, '0')}-${md}${t}`),
);

describe('isoMs', () => {
  it('reads ISO-8601 text as Date.parse does', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(isoMs(s)).toBe(Date.parse(s));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('isoTimeMs', () => {
  it('reads exactly the texts toISOString writes, NaN for any other', () => {
    fc.assert(
      fc.property(text, (s) => {
        const t = Date.parse(s);
        const exact = Number.isInteger(t) && new Date(t).toISOString() === s;
        expect(isoTimeMs(s)).toBe(exact ? t : Number.NaN);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('isoTime', () => {
  it('writes ms as toISOString does', () => {
    fc.assert(
      fc.property(fc.oneof(ms, near, fc.double()), (t) => {
        // Times no Date holds throw the same error.
        const written = (write: () => string) => {
          try {
            return write();
          } catch (e) {
            return String(e);
          }
        };
        expect(written(() => isoTime(t))).toBe(written(() => new Date(t).toISOString()));
      }),
      { numRuns: 20_000 },
    );
  });
});
