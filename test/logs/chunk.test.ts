import {
  ChunkFilter,
  decodeChunk,
  encodeChunk,
  encodeLine,
  hitRecord,
  isoMs,
  isoTime,
  isoTimeMs,
  type LineHit,
  type LogQuery,
  type LogRecord,
  matchesQuery,
  scanChunk,
} from '@vigil/core/logs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/**
 * Chunk format 2 and its scan shortcuts: whatever the records hold (quotes, backslashes,
 * newlines, characters whose lower case is longer), a scan finds exactly the records that
 * matchesQuery accepts, and the token filter never rules out a chunk that holds a match.
 */
const T = Date.parse('2026-11-23T10:00:00Z');
const stream = { service: 'api', level: 'info' as const, source: 'api', base: T - 5000 };
const alphabet = ['a', 'B', 'c', ' ', 'x', 'İ', 'Σ', 'é', '"', '\\', '\n', '\t', '{', '}', '1', ':', '😀'];
// Runs of letter-free characters too, so anchors of the bytes scan occur both with and without
// the rest of the term around them.
const pieces = [...alphabet, '1 1:', '{1}:', ' 1 1', '1:1'];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((cs) => cs.join(''));
const record = fc.record({
  message: text,
  dt: fc.integer({ min: -4000, max: 60_000 }),
  trace: fc.option(fc.constantFrom('abc123', 'DEF456'), { nil: undefined }),
  attrs: fc.option(fc.dictionary(fc.constantFrom('route', 'status'), text, { maxKeys: 2 }), {
    nil: undefined,
  }),
});

type Row = { message: string; dt: number; trace?: string; attrs?: Record<string, string> };

function build(rows: Row[]): {
  records: LogRecord[];
  text: string;
  times: number[];
} {
  const records = rows.map(
    (r): LogRecord => ({
      timestamp: new Date(T + r.dt).toISOString(),
      level: 'info',
      service: 'api',
      message: r.message,
      source: 'api',
      ...(r.trace && { trace_id: r.trace }),
      attributes: r.attrs ?? {},
    }),
  );
  const times = records.map((r) => Date.parse(r.timestamp));
  return { records, times, text: encodeChunk(records.map(encodeLine), times, stream.base) };
}

describe('chunk format 2', () => {
  it('decodes to the records it encoded', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (rows) => {
        const { records, text } = build(rows);
        expect(decodeChunk(text, stream)).toEqual(records);
      }),
    );
  });

  it('a scan returns exactly what matchesQuery accepts, and the filter keeps every match', () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 20 }),
        fc.array(
          fc.oneof(
            text,
            fc.constantFrom('a', 'ab', 'İ', 'i̇', 'σ', '"x', '\\'),
            // Letter-free runs of four or more: the bytes scan's anchors.
            fc.constantFrom('1 1:', 'x1 1:', 'B{1}:', 'a 1 1', ' 1 1é', 'x1:1'),
          ),
          { maxLength: 2 },
        ),
        fc.boolean(),
        fc.integer({ min: 0, max: 30_000 }),
        fc.option(fc.constantFrom('route=a', 'status!=x'), { nil: undefined }),
        fc.constantFrom('any', 'no sigma', 'ascii'),
        (generated, terms, windowed, from, field, chars) => {
          // A capital sigma anywhere turns the shortcuts off, and ASCII chunks have their own:
          // some chunks go without a sigma, some with ASCII only.
          const plain = (t: string) =>
            chars === 'any'
              ? t
              : chars === 'no sigma'
                ? t.replaceAll('Σ', 'S')
                : t.replace(/[^\p{ASCII}]/gu, 'a');
          const rows = generated.map((r) => ({
            ...r,
            message: plain(r.message),
            attrs: r.attrs && Object.fromEntries(Object.entries(r.attrs).map(([k, v]) => [k, plain(v)])),
          }));
          const { records, text } = build(rows);
          const q: LogQuery = {
            text: terms.filter(Boolean),
            fields: field
              ? [
                  {
                    field: field.split(/!?=/)[0],
                    op: field.includes('!=') ? '!=' : '=',
                    value: field.split(/!?=/)[1],
                  },
                ]
              : [],
            start: windowed ? T + from : T - 10_000,
            end: windowed ? T + from + 20_000 : T + 100_000,
          };
          const got: LogRecord[] = [];
          scanChunk(text, stream, q, got);
          const want = records.filter((r) => matchesQuery(r, q));
          expect(got).toEqual(want);
          // From the UTF-8 bytes, decoding only the lines the scan needs, and lazily.
          const fromBytes: Array<LogRecord | LineHit> = [];
          const times: number[] = [];
          scanChunk(Buffer.from(text, 'utf8'), stream, q, fromBytes, times, true);
          expect(fromBytes.map(hitRecord)).toEqual(want);
          expect(times).toEqual(want.map((r) => Date.parse(r.timestamp)));
          if (/^\p{ASCII}*$/u.test(text)) {
            const bytes = Buffer.from(text, 'ascii');
            const ascii = {
              length: bytes.length,
              ascii: true,
              indexOf: (v: string | number, from?: number) => bytes.indexOf(v, from),
              toString: (_: 'utf8', start?: number, end?: number) => bytes.toString('ascii', start, end),
            };
            const lazy: Array<LogRecord | LineHit> = [];
            scanChunk(ascii, stream, q, lazy, undefined, true);
            expect(lazy.map(hitRecord)).toEqual(want);
            const eager: LogRecord[] = [];
            scanChunk(ascii, stream, q, eager);
            expect(eager).toEqual(want);
          }
          if (want.length) {
            const filter = ChunkFilter.build(
              records.map((r) => r.message),
              records.flatMap((r) => (r.trace_id ? [r.trace_id] : [])),
              records.reduce((n, r) => n + r.message.length, 0),
            );
            for (const term of q.text) expect(filter.mayContain(term)).toBe(true);
            for (const r of want)
              if (r.trace_id) expect(filter.mayHaveId(r.trace_id.toUpperCase())).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds a lower-case sigma whatever its neighbours in the JSON line', () => {
    const messages = ['\nΣ', 'aΣ b', 'xΣ', 'plain'];
    const records = messages.map(
      (m): LogRecord => ({
        timestamp: new Date(T).toISOString(),
        level: 'info',
        service: 'api',
        message: m,
        source: 'api',
        attributes: {},
      }),
    );
    const chunk = encodeChunk(
      records.map(encodeLine),
      records.map(() => T),
      stream.base,
    );
    for (const term of ['σ', 'ς', 'xς', 'Σ']) {
      const q: LogQuery = { text: [term], fields: [], start: T - 1, end: T + 1 };
      const got: LogRecord[] = [];
      scanChunk(chunk, stream, q, got);
      expect(got.map((r) => r.message)).toEqual(
        records.filter((r) => matchesQuery(r, q)).map((r) => r.message),
      );
    }
  });

  it('from bytes, checks the whole term on lines holding its letter-free run', () => {
    const messages = [
      'blk_-42 served',
      'BLK_-42 served',
      'xblk_-42',
      'blk_-4 2',
      'blk_-42 "q"',
      'blk_-42 t',
      'Σ blk_-42',
    ];
    const records = messages.map(
      (m, i): LogRecord => ({
        timestamp: new Date(T + i).toISOString(),
        level: 'info',
        service: 'api',
        message: m,
        source: 'api',
        attributes: {},
      }),
    );
    const times = records.map((r) => Date.parse(r.timestamp));
    for (const chunk of [records, records.slice(0, 6)]) {
      const bytes = Buffer.from(
        encodeChunk(chunk.map(encodeLine), times.slice(0, chunk.length), stream.base),
      );
      for (const term of ['blk_-42', 'Blk_-42 s', 'k_-42 "', '_-4 2']) {
        const q: LogQuery = { text: [term], fields: [], start: T - 1, end: T + 100 };
        const got: Array<LogRecord | LineHit> = [];
        scanChunk(bytes, stream, q, got, undefined, true);
        expect(got.map(hitRecord)).toEqual(chunk.filter((r) => matchesQuery(r, q)));
      }
    }
  });

  it('from ASCII bytes, checks every term and the escapes of the lines it finds', () => {
    const messages = ['disk in use', 'DISK IN', 'in only', 'disk only', 'a\nb', 'say "nb"', 'c:\\in\\disk'];
    const records = messages.map(
      (m, i): LogRecord => ({
        timestamp: new Date(T + i).toISOString(),
        level: 'info',
        service: 'api',
        message: m,
        source: 'api',
        attributes: {},
      }),
    );
    const text = encodeChunk(
      records.map(encodeLine),
      records.map((r) => Date.parse(r.timestamp)),
      stream.base,
    );
    const bytes = Buffer.from(text, 'ascii');
    const ascii = {
      length: bytes.length,
      ascii: true,
      indexOf: (v: string | number, from?: number) => bytes.indexOf(v, from),
      toString: (_: 'utf8', start?: number, end?: number) => bytes.toString('ascii', start, end),
    };
    for (const terms of [['in'], ['disk', 'in'], ['IN', 'disk'], ['nb'], ['"nb'], ['n\\d']]) {
      const q: LogQuery = { text: terms, fields: [], start: T - 1, end: T + 100 };
      const got: Array<LogRecord | LineHit> = [];
      scanChunk(ascii, stream, q, got, undefined, true);
      expect(got.map(hitRecord)).toEqual(records.filter((r) => matchesQuery(r, q)));
    }
  });

  it('the filter rules out chunks lacking a long term, and ids not present', () => {
    const messages = Array.from({ length: 2000 }, (_, i) => `request ${i} served in ${i % 97} ms from cache`);
    const ids = Array.from({ length: 200 }, (_, i) => `trace-${i.toString(16).padStart(8, '0')}`);
    const filter = ChunkFilter.build(messages, ids, messages.join('').length);
    expect(filter.mayContain('served in 42 ms')).toBe(true);
    expect(filter.mayHaveId('trace-0000000a')).toBe(true);
    let falsePositives = 0;
    for (let i = 0; i < 1000; i++) {
      if (filter.mayContain(`database timeout ${i} on shard`)) falsePositives++;
      if (filter.mayHaveId(`trace-${(100_000 + i).toString(16)}`)) falsePositives++;
    }
    expect(falsePositives).toBeLessThan(40);
    // About 3 bits per distinct trigram, in a power of two.
    expect(filter.bits.length).toBeLessThanOrEqual(8192);
  });
});

describe('isoTime', () => {
  it('equals Date.toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 3e14 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
        expect(isoTime(ms + 1)).toBe(new Date(ms + 1).toISOString());
      }),
      { numRuns: 5000 },
    );
    expect(isoTime(1.5)).toBe(new Date(1.5).toISOString());
  });

  it('isoMs equals Date.parse, within and outside the hour it last saw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 3e14 }),
        fc.integer({ min: -4_000_000, max: 4_000_000 }),
        fc.constantFrom('', 'x', 'mm', 'ss'),
        (ms, dt, damage) => {
          isoTime(ms);
          let text = new Date(ms + dt).toISOString();
          if (damage === 'x') text = text.replace(/\d(?=Z$)/, 'x');
          if (damage === 'mm') text = `${text.slice(0, 14)}61${text.slice(16)}`;
          if (damage === 'ss') text = `${text.slice(0, 17)}60${text.slice(19)}`;
          expect(isoMs(text)).toBe(Date.parse(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('isoTimeMs reads exactly the texts isoTime writes, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 3e14 }),
        fc.integer({ min: -4_000_000, max: 4_000_000 }),
        fc.constantFrom('', 'x', 'mm', 'ss', 'no ms', 'offset', 'day'),
        (ms, dt, damage) => {
          isoTime(ms);
          let text = new Date(ms + dt).toISOString();
          if (damage === 'x') text = text.replace(/\d(?=Z$)/, 'x');
          if (damage === 'mm') text = `${text.slice(0, 14)}61${text.slice(16)}`;
          if (damage === 'ss') text = `${text.slice(0, 17)}60${text.slice(19)}`;
          if (damage === 'no ms') text = text.replace(/\.\d+Z$/, '.0Z');
          if (damage === 'offset') text = text.replace(/Z$/, '+00:00');
          if (damage === 'day') text = `${text.slice(0, 8)}31${text.slice(10)}`;
          const t = Date.parse(text);
          // Years past 9999 are written with six digits and a sign: left to Date.parse.
          const exact = text.length === 24 && Number.isInteger(t) && new Date(t).toISOString() === text;
          expect(isoTimeMs(text)).toBe(exact ? t : Number.NaN);
        },
      ),
      { numRuns: 5000 },
    );
    expect(isoTimeMs('2026-02-30T10:00:00.000Z')).toBeNaN();
  });
});
