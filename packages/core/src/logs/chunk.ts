import type { Level, LogRecord } from './record';
import { isoTime } from './time';

/**
 * The text of a chunk (format 2), NDJSON: the first line is the records' times as a JSON array
 * of ms deltas (the first from the chunk's `base`), then one line per record holding only what
 * the chunk does not share (service, level and source are its stream, kept in its index item):
 * the message as a JSON string, or `{"m": message, trace_id?, span_id?, request_id?, "a":
 * attributes?}` when it has more. Regular times compress to almost nothing and messages can be
 * checked without building records.
 */
export interface ChunkStream {
  service: string;
  level: Level;
  source: string;
  /** Times are deltas from this (ms). */
  base: number;
}

interface Extras {
  m: string;
  trace_id?: string;
  span_id?: string;
  request_id?: string;
  a?: Record<string, unknown>;
}

/** A chunk's text from its record lines (`encodeLine`) and their ms timestamps. */
export function encodeChunk(lines: string[], times: number[], base: number): string {
  const deltas = new Array<number>(times.length);
  let previous = base;
  for (let i = 0; i < times.length; i++) {
    deltas[i] = times[i] - previous;
    previous = times[i];
  }
  // One join for the whole text: a header added to joined lines would be copied again when the
  // text is encoded. Joined, finite numbers read as JSON.stringify writes them.
  const header = `[${deltas.join(',')}]`;
  if (lines.length === 0) return `${header}\n`;
  const parts = new Array<string>(lines.length + 1);
  parts[0] = header;
  for (let i = 0; i < lines.length; i++) parts[i + 1] = lines[i];
  return parts.join('\n');
}

/** A record's line: what its stream does not already say. */
export function encodeLine(r: LogRecord): string {
  let extras: Extras | undefined;
  if (r.trace_id || r.span_id || r.request_id) {
    extras = { m: r.message };
    if (r.trace_id) extras.trace_id = r.trace_id;
    if (r.span_id) extras.span_id = r.span_id;
    if (r.request_id) extras.request_id = r.request_id;
  }
  for (const _ in r.attributes) {
    extras ??= { m: r.message };
    extras.a = r.attributes;
    break;
  }
  if (extras) return JSON.stringify(extras);
  // Most messages need no escapes: their JSON is their text in quotes, found a few times faster
  // than JSON.stringify finds it.
  return isPlainJson(r.message) ? `"${r.message}"` : JSON.stringify(r.message);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes control characters.
const CONTROL = /[\u0000-\u001f]/;

/**
 * Whether JSON writes a text as itself in quotes: no quote, backslash, control character or
 * lone surrogate in it. Searches for one character and a regular expression of one range take
 * about two thirds of the time one regular expression matching all of these takes.
 */
function isPlainJson(text: string): boolean {
  return (
    !text.includes('"') &&
    !text.includes('\\') &&
    !CONTROL.test(text) &&
    (text as string & WellFormed).isWellFormed()
  );
}

/** ES2024's `isWellFormed` (Node 20 on), which the TypeScript lib Vigil builds with lacks. */
interface WellFormed {
  /** Whether the text has no lone surrogate. */
  isWellFormed(): boolean;
}

export { isoTime } from './time';

/** The record a line stands for. */
export function decodeLine(line: string, t: number, s: ChunkStream): LogRecord {
  // A JSON string without escapes is its text in quotes: no need to parse it.
  const value =
    line.charCodeAt(0) === 0x22 && !line.includes('\\')
      ? line.slice(1, -1)
      : (JSON.parse(line) as string | Extras);
  const timestamp = isoTime(t);
  if (typeof value === 'string')
    return {
      timestamp,
      level: s.level,
      service: s.service,
      message: value,
      source: s.source,
      attributes: {},
    };
  return {
    timestamp,
    level: s.level,
    service: s.service,
    message: value.m,
    source: s.source,
    ...(value.trace_id !== undefined && { trace_id: value.trace_id }),
    ...(value.span_id !== undefined && { span_id: value.span_id }),
    ...(value.request_id !== undefined && { request_id: value.request_id }),
    attributes: value.a ?? {},
  };
}

export function chunkTimes(header: string, base: number): number[] {
  const deltas = JSON.parse(header) as number[];
  let t = base;
  return deltas.map((d) => {
    t += d;
    return t;
  });
}

/** Every record of a chunk, in order. */
export function decodeChunk(text: string, s: ChunkStream): LogRecord[] {
  const lines = text.split('\n');
  const at = chunkTimes(lines[0], s.base);
  return at.map((t, i) => decodeLine(lines[i + 1], t, s));
}
