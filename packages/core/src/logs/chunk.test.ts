import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeLine } from './chunk';
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
