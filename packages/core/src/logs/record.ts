import type { FieldError } from '../errors';
import { isoMs, isoTime, isoTimeMs, utcMs } from './time';

export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];

/** A stored log record. */
export interface LogRecord {
  /** ISO-8601 with ms. */
  timestamp: string;
  level: Level;
  service: string;
  message: string;
  source: string;
  trace_id?: string;
  span_id?: string;
  request_id?: string;
  attributes: Record<string, unknown>;
}

const ALIASES: Record<string, Level> = Object.assign(Object.create(null) as Record<string, Level>, {
  trace: 'trace',
  debug: 'debug',
  dbg: 'debug',
  info: 'info',
  information: 'info',
  informational: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  panic: 'fatal',
  emergency: 'fatal',
  emerg: 'fatal',
  alert: 'fatal',
  severe: 'error',
});

/** A level from text (`WARNING`, `err`, `CRITICAL`) or a syslog/OTel number; info when unknown. */
export function normalizeLevel(value: unknown): Level | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') {
    if (value >= 1 && value <= 24)
      return value <= 4
        ? 'trace'
        : value <= 8
          ? 'debug'
          : value <= 12
            ? 'info'
            : value <= 16
              ? 'warn'
              : value <= 20
                ? 'error'
                : 'fatal';
    return undefined;
  }
  // Most records spell their level as an alias already.
  return (typeof value === 'string' && ALIASES[value]) || ALIASES[String(value).trim().toLowerCase()];
}

export const levelRank = (level: Level) => LEVELS.indexOf(level);

/** Timestamps as ISO-8601 text or epoch seconds, ms, µs or ns (told apart by magnitude). */
export function parseTimestamp(value: unknown): number | undefined {
  // ISO-8601 in UTC, the most common shape, never looks like a number.
  const utc = typeof value === 'string' ? utcMs(value) : Number.NaN;
  if (!Number.isNaN(utc)) return utc;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))) {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) return undefined;
    if (n < 1e11) return Math.round(n * 1000);
    if (n < 1e14) return Math.round(n);
    if (n < 1e17) return Math.round(n / 1000);
    return Math.round(n / 1e6);
  }
  if (typeof value === 'string') {
    const ms = isoMs(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

const RESERVED = new Set([
  'timestamp',
  'time',
  'ts',
  '@timestamp',
  'level',
  'severity',
  'lvl',
  'message',
  'msg',
  'service',
  'service_name',
  'source',
  'trace_id',
  'traceId',
  'span_id',
  'spanId',
  'request_id',
  'requestId',
  'correlation_id',
  'attributes',
]);
const utf8 = new TextEncoder();
const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));

/** Where a record keeps its message: `message`, `msg`, or structlog's `event` when it is text. */
function messageKey(raw: Record<string, unknown>): string | undefined {
  if (raw.message !== undefined && raw.message !== null) return 'message';
  if (raw.msg !== undefined && raw.msg !== null) return 'msg';
  if (typeof raw.event === 'string') return 'event';
  return undefined;
}

/** The last service a record was accepted with: the next records mostly repeat it. */
let lastService = '';

/** The last level text a record had and what it means: the next records mostly repeat it. */
let lastLevel: { text: string; level: Level | undefined } = { text: 'info', level: 'info' };

/** normalizeLevel, for the last text without reading it again. */
function levelOf(value: unknown): Level | undefined {
  if (value === lastLevel.text) return lastLevel.level;
  const level = normalizeLevel(value);
  if (typeof value === 'string') lastLevel = { text: value, level };
  return level;
}

/** The last record's keys, and those not reserved: the next records mostly have the same keys. */
let lastKeys: { all: string[]; unreserved: string[] } = { all: [], unreserved: [] };

/** The keys that are not reserved, in order. */
function unreserved(keys: string[]): string[] {
  const last = lastKeys.all;
  let same = keys.length === last.length;
  for (let i = 0; same && i < keys.length; i++) same = keys[i] === last[i];
  if (!same) lastKeys = { all: keys, unreserved: keys.filter((k) => !RESERVED.has(k)) };
  return lastKeys.unreserved;
}

export const LIMITS = { recordsPerRequest: 10_000, messageBytes: 64 * 1024, attributes: 100 } as const;

/** The errors so far (none yet: undefined) and one more. */
function withError(errors: FieldError[] | undefined, field: string, message: string): FieldError[] {
  const out = errors ?? [];
  out.push({ field, message });
  return out;
}

/** No errors: shared by every accepted record rather than an empty array each. */
const NO_ERRORS: FieldError[] = Object.freeze([]) as unknown as FieldError[];

/**
 * Normalizes one JSON log record as structured loggers write it (structlog, Powertools, pino):
 * timestamp, level, message, service, trace/span/request ids; every other field becomes an
 * attribute; a message that is itself a JSON object is parsed into fields. `time` is the
 * record's timestamp in ms, so a store need not read it back from the text.
 */
export function normalizeRecord(
  input: unknown,
  index: number,
  now: number,
  defaults: { service?: string; source?: string; keepRawMessage?: boolean } = {},
): { record?: LogRecord; errors: FieldError[]; time?: number } {
  const records: LogRecord[] = [];
  const times: number[] = [];
  const errors = appendRecord(input, index, now, defaults, records, times);
  return errors ? { errors } : { record: records[0], errors: NO_ERRORS, time: times[0] };
}

/**
 * normalizeRecord for a batch: the record is added to `records` and its time in ms to `times`,
 * or its errors are returned (and nothing added), with nothing made per record beyond the
 * record itself.
 */
export function appendRecord(
  input: unknown,
  index: number,
  now: number,
  defaults: { service?: string; source?: string; keepRawMessage?: boolean },
  records: LogRecord[],
  times: number[],
): FieldError[] | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [{ field: `${index}`, message: 'a log record is a JSON object' }];
  let raw = input as Record<string, unknown>;
  const messageText = raw.message ?? raw.msg;
  // Loki clients expect their lines back as sent, so Loki pushes keep them raw.
  if (
    !defaults.keepRawMessage &&
    typeof messageText === 'string' &&
    messageText.charCodeAt(0) === 0x7b &&
    messageText.endsWith('}')
  ) {
    try {
      const inner = JSON.parse(messageText);
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        // A JSON object without a message of its own keeps its text as the message, so a
        // text search still finds it; its fields become attributes either way.
        const own = messageKey(inner) !== undefined;
        raw = { ...raw, message: own ? undefined : messageText, msg: undefined, ...inner };
      }
    } catch {
      // not JSON after all: keep the text
    }
  }
  let errors: FieldError[] | undefined;
  const tsRaw = raw.timestamp ?? raw.time ?? raw.ts ?? raw['@timestamp'];
  // A timestamp already written as isoTime writes it is kept as it came.
  let ts = typeof tsRaw === 'string' ? isoTimeMs(tsRaw) : Number.NaN;
  const timestamp = Number.isNaN(ts) ? undefined : (tsRaw as string);
  if (timestamp === undefined) {
    const parsed = tsRaw === undefined ? now : parseTimestamp(tsRaw);
    if (parsed === undefined)
      errors = withError(errors, `${index}.timestamp`, 'ISO-8601 or epoch seconds/ms/ns');
    else ts = parsed;
  }
  const levelRaw = raw.level ?? raw.severity ?? raw.lvl;
  const level = levelRaw === undefined ? 'info' : levelOf(levelRaw);
  if (!level)
    errors = withError(
      errors,
      `${index}.level`,
      `unknown level ${JSON.stringify(levelRaw)}; use ${LEVELS.join(', ')}`,
    );
  const key = messageKey(raw);
  const message = key ? raw[key] : '';
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only long texts need counting.
  if (text.length * 3 > LIMITS.messageBytes && utf8.encode(text).length > LIMITS.messageBytes)
    errors = withError(errors, `${index}.message`, `longer than ${LIMITS.messageBytes} bytes`);
  const named = raw.service ?? raw.service_name ?? defaults.service ?? '';
  const service = typeof named === 'string' && named === lastService ? named : String(named).trim();
  if (!service) errors = withError(errors, `${index}.service`, 'required (or give it for the whole batch)');
  else if (service !== lastService && !/^[\w.:-]{1,100}$/.test(service))
    errors = withError(errors, `${index}.service`, 'letters, digits and . _ : - only (max 100)');
  const given = raw.attributes;
  const attributes: Record<string, unknown> =
    typeof given === 'object' && given && !Array.isArray(given) ? { ...given } : {};
  let extra = false;
  // Object.keys is faster than for-in, and has only own keys.
  const keys = unreserved(Object.keys(raw));
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === key) continue;
    const v = raw[k];
    if (v === undefined) continue;
    attributes[k] = v;
    extra = true;
  }
  if ((extra || given !== undefined) && Object.keys(attributes).length > LIMITS.attributes)
    errors = withError(errors, `${index}.attributes`, `more than ${LIMITS.attributes} attributes`);
  if (errors) return errors;
  lastService = service;
  const record = {
    timestamp: timestamp ?? isoTime(ts),
    level: level as Level,
    service,
    message: text,
    source: String(raw.source ?? defaults.source ?? 'api'),
  } as LogRecord;
  const traceId = str(raw.trace_id ?? raw.traceId);
  if (traceId) record.trace_id = traceId;
  const spanId = str(raw.span_id ?? raw.spanId);
  if (spanId) record.span_id = spanId;
  const requestId = str(raw.request_id ?? raw.requestId ?? raw.correlation_id);
  if (requestId) record.request_id = requestId;
  record.attributes = attributes;
  records.push(record);
  times.push(ts);
  return undefined;
}
