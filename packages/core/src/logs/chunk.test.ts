import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkTimes, encodeChunk, encodeLine } from './chunk';
import type { LogRecord } from './record';

const record = (message: string, more: Partial<LogRecord> = {}): LogRecord => ({
  timestamp: '2026-11-23T10:00:00.000Z',
  level: 'info',
  service: 'api',
  message,
  source: 'api',
  attributes: {},
  ...more,
});

describe('encodeLine', () => {
  it('writes a message as JSON.stringify does, whatever its characters', () => {
    // Any UTF-16 units: quotes, backslashes, controls, paired and lone surrogates.
    const units = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('plain text', 'say "hi"', 'C:\\dir', 'tab\there', '\u007f\u2028', '\ud83d', '😀\udc00'),
    );
    fc.assert(
      fc.property(units, (message) => {
        expect(encodeLine(record(message))).toBe(JSON.stringify(message));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes the ids and attributes beside a message that has them', () => {
    expect(encodeLine(record('a "b"', { trace_id: 't1', attributes: { route: '/x' } }))).toBe(
      JSON.stringify({ m: 'a "b"', trace_id: 't1', a: { route: '/x' } }),
    );
  });
});

describe('encodeChunk', () => {
  it('writes the deltas as JSON.stringify does, then the lines', () => {
    const times = fc.array(fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }), { maxLength: 50 });
    const lines = fc.array(fc.string({ unit: 'binary', maxLength: 20 }).map((m) => JSON.stringify(m)));
    fc.assert(
      fc.property(
        times,
        lines,
        fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
        (at, line, base) => {
          const deltas = at.map((t, i) => t - (i === 0 ? base : at[i - 1]));
          const text = encodeChunk(line, at, base);
          expect(text).toBe(`${JSON.stringify(deltas)}\n${line.join('\n')}`);
          expect(chunkTimes(text.split('\n')[0], base)).toEqual(at);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
