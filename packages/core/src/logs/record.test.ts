import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../errors';
import {
  appendRecord,
  LEVELS,
  LIMITS,
  type LogRecord,
  normalizeLevel,
  normalizeRecord,
  parseTimestamp,
} from './record';

/**
 * The straightforward reading of a record, field by field, that the ingest path must agree
 * with whatever shortcuts it takes: same record, same errors, for any mix of fields.
 */
const RESERVED = new Set(
  'timestamp time ts @timestamp level severity lvl message msg service service_name source trace_id traceId span_id spanId request_id requestId correlation_id attributes'.split(
    ' ',
  ),
);
const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));
const messageKey = (raw: Record<string, unknown>) =>
  raw.message !== undefined && raw.message !== null
    ? 'message'
    : raw.msg !== undefined && raw.msg !== null
      ? 'msg'
      : typeof raw.event === 'string'
        ? 'event'
        : undefined;

function reference(
  input: unknown,
  index: number,
  now: number,
  defaults: { service?: string; source?: string; keepRawMessage?: boolean },
): { record?: LogRecord; errors: FieldError[]; time?: number } {
  const at = `${index}`;
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { errors: [{ field: at, message: 'a log record is a JSON object' }] };
  let raw = input as Record<string, unknown>;
  const messageText = raw.message ?? raw.msg;
  if (
    !defaults.keepRawMessage &&
    typeof messageText === 'string' &&
    messageText.startsWith('{') &&
    messageText.endsWith('}')
  ) {
    try {
      const inner = JSON.parse(messageText);
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        const own = messageKey(inner) !== undefined;
        raw = { ...raw, message: own ? undefined : messageText, msg: undefined, ...inner };
      }
    } catch {}
  }
  const errors: FieldError[] = [];
  const tsRaw = raw.timestamp ?? raw.time ?? raw.ts ?? raw['@timestamp'];
  const ts = tsRaw === undefined ? now : parseTimestamp(tsRaw);
  if (ts === undefined) errors.push({ field: `${at}.timestamp`, message: 'ISO-8601 or epoch seconds/ms/ns' });
  const levelRaw = raw.level ?? raw.severity ?? raw.lvl;
  const level = levelRaw === undefined ? 'info' : normalizeLevel(levelRaw);
  if (!level)
    errors.push({
      field: `${at}.level`,
      message: `unknown level ${JSON.stringify(levelRaw)}; use ${LEVELS.join(', ')}`,
    });
  const key = messageKey(raw);
  const message = key ? raw[key] : '';
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  if (Buffer.byteLength(text, 'utf8') > LIMITS.messageBytes)
    errors.push({ field: `${at}.message`, message: `longer than ${LIMITS.messageBytes} bytes` });
  const service = String(raw.service ?? raw.service_name ?? defaults.service ?? '').trim();
  if (!service) errors.push({ field: `${at}.service`, message: 'required (or give it for the whole batch)' });
  else if (!/^[\w.:-]{1,100}$/.test(service))
    errors.push({ field: `${at}.service`, message: 'letters, digits and . _ : - only (max 100)' });
  const attributes: Record<string, unknown> = {
    ...(typeof raw.attributes === 'object' && raw.attributes && !Array.isArray(raw.attributes)
      ? (raw.attributes as Record<string, unknown>)
      : {}),
  };
  let extra = false;
  for (const k in raw) {
    if (!Object.hasOwn(raw, k) || RESERVED.has(k) || k === key) continue;
    if (raw[k] === undefined) continue;
    attributes[k] = raw[k];
    extra = true;
  }
  if ((extra || raw.attributes !== undefined) && Object.keys(attributes).length > LIMITS.attributes)
    errors.push({ field: `${at}.attributes`, message: `more than ${LIMITS.attributes} attributes` });
  if (errors.length) return { errors };
  return {
    errors,
    time: ts,
    record: {
      timestamp: new Date(ts as number).toISOString(),
      level: level as LogRecord['level'],
      service,
      message: text,
      source: String(raw.source ?? defaults.source ?? 'api'),
      ...(str(raw.trace_id ?? raw.traceId) && { trace_id: str(raw.trace_id ?? raw.traceId) }),
      ...(str(raw.span_id ?? raw.spanId) && { span_id: str(raw.span_id ?? raw.spanId) }),
      ...(str(raw.request_id ?? raw.requestId ?? raw.correlation_id) && {
        request_id: str(raw.request_id ?? raw.requestId ?? raw.correlation_id),
      }),
      attributes,
    },
  };
}

const T = Date.parse('2026-11-23T10:00:00Z');
const iso = fc.integer({ min: -4_000_000, max: 4_000_000 }).map((dt) => new Date(T + dt).toISOString());
const timestamp = fc.oneof(
  iso,
  iso,
  iso.map((s) => s.replace('.000Z', 'Z')),
  iso.map((s) => s.replace('Z', '+02:00')),
  iso.map((s) => `${s.slice(0, 17)}61${s.slice(19)}`),
  fc.constantFrom('1700000000', '1700000000.5', '1700000000123', 'soon', '', '2026-02-30T10:00:00.000Z'),
  fc.constantFrom(1_700_000_000, 1_700_000_000_123, 1.7e18, -5, 0, null, true),
);
const level = fc.constantFrom(
  'info',
  'ERROR',
  ' warn ',
  'Warning',
  'crit',
  'verbose',
  'constructor',
  '__proto__',
  'toString',
  '',
  null,
  3,
  17,
  99,
);
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '{"msg":"inner","user":"u1"}',
    '{"user":"u1","level":"error"}',
    '{"event":"login"}',
    '{not json}',
    '{}',
    '[1]',
    'İstanbul Σ 😀',
  ),
);
const id = fc.oneof(fc.constantFrom('abc', 'DEF', '', null), fc.integer({ min: 0, max: 9 }));
const field = <T>(key: string, value: fc.Arbitrary<T>) =>
  fc.option(
    value.map((v) => [key, v] as const),
    { nil: undefined },
  );
const input = fc
  .tuple(
    field('timestamp', timestamp),
    field('time', timestamp),
    field('ts', timestamp),
    field('@timestamp', timestamp),
    field('level', level),
    field('severity', level),
    field('lvl', level),
    field('message', fc.oneof(text, fc.constantFrom(5, null, { a: 1 }, ['x']))),
    field('msg', text),
    field('event', fc.oneof(text, fc.constant(7))),
    field('service', fc.constantFrom('api', 'api', ' api ', 'web.1', 'bad name', '', 5, null)),
    field('service_name', fc.constantFrom('worker', 'x/y')),
    field('source', fc.constantFrom('otlp', 3)),
    field('trace_id', id),
    field('traceId', id),
    field('span_id', id),
    field('spanId', id),
    field('request_id', id),
    field('requestId', id),
    field('correlation_id', id),
    field(
      'attributes',
      fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), text), fc.constantFrom([1], 'a', null)),
    ),
    fc.dictionary(fc.constantFrom('user', 'route', 'status', 'constructor'), text, { maxKeys: 3 }),
  )
  .map((fields) => {
    const extra = fields.pop() as Record<string, string>;
    return {
      ...Object.fromEntries(fields.filter((f) => f !== undefined) as Array<readonly [string, unknown]>),
      ...extra,
    };
  });

describe('parseTimestamp', () => {
  /** Numbers by magnitude, any other text as Date.parse reads it. */
  const straightforward = (value: unknown): number | undefined => {
    if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))) {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) return undefined;
      return Math.round(n < 1e11 ? n * 1000 : n < 1e14 ? n : n < 1e17 ? n / 1000 : n / 1e6);
    }
    if (typeof value !== 'string') return undefined;
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : undefined;
  };

  it('reads ISO-8601 and epoch text as the straightforward reading does', () => {
    const texts = fc.oneof(
      timestamp,
      iso.map((s) => s.replace('Z', '123456Z')),
      iso.map((s) => s.replace('.000Z', '.5Z')),
      iso.map((s) => s.replace('T', ' ')),
      fc.stringMatching(/^\d{1,20}(\.\d{1,4})?$/),
    );
    fc.assert(
      fc.property(texts, (value) => {
        expect(parseTimestamp(value)).toBe(straightforward(value));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('normalizeRecord', () => {
  it('agrees with the straightforward reading of a record, whatever its fields', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(input, input, input, fc.constantFrom(null, 3, 'x', [1])), { maxLength: 8 }),
        fc.record({
          service: fc.option(fc.constantFrom('batch', 'bad name'), { nil: undefined }),
          source: fc.option(fc.constant('loki'), { nil: undefined }),
          keepRawMessage: fc.option(fc.boolean(), { nil: undefined }),
        }),
        (inputs, defaults) => {
          inputs.forEach((raw, i) => {
            const normalized = normalizeRecord(raw, i, T, defaults);
            const expected = reference(raw, i, T, defaults);
            expect(normalized).toEqual(expected);
            // Same attribute order too: a line stores them as JSON.
            expect(JSON.stringify(normalized.record)).toBe(JSON.stringify(expected.record));
          });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('adds a batch as the straightforward reading does, each record and time or its errors', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(input, input, fc.constantFrom(null, 3, 'x', [1])), { maxLength: 8 }),
        fc.option(fc.constantFrom('batch', 'bad name'), { nil: undefined }),
        (inputs, service) => {
          const records: LogRecord[] = [];
          const times: number[] = [];
          const expectedRecords: LogRecord[] = [];
          const expectedTimes: number[] = [];
          inputs.forEach((raw, i) => {
            const expected = reference(raw, i, T, { service });
            const errors = appendRecord(raw, i, T, { service }, records, times);
            if (expected.record) {
              expect(errors).toBeUndefined();
              expectedRecords.push(expected.record);
              expectedTimes.push(expected.time as number);
            } else expect(errors).toEqual(expected.errors);
          });
          expect(records).toEqual(expectedRecords);
          expect(JSON.stringify(records)).toBe(JSON.stringify(expectedRecords));
          expect(times).toEqual(expectedTimes);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('rejects level names that are not levels, even those every object has', () => {
    for (const level of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(normalizeRecord({ level, service: 'api', message: 'm' }, 0, T).errors).toEqual([
        { field: '0.level', message: expect.stringContaining('unknown level') },
      ]);
  });

  it('keeps a timestamp already in ISO-8601 with ms as it came', () => {
    const timestamp = '2026-11-23T10:00:06.250Z';
    const { record } = normalizeRecord({ timestamp, service: 'api', message: 'm' }, 0, T);
    expect(record?.timestamp).toBe(timestamp);
    expect(
      normalizeRecord({ timestamp: '2026-11-23T10:00:06Z', service: 'api' }, 0, T).record?.timestamp,
    ).toBe(timestamp.replace('.250', '.000'));
  });
});
