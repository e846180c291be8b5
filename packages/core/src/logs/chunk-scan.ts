/**
 * Scanning a chunk for a query without building every record: terms pre-select lines, and
 * only lines that may match are decoded and checked.
 */
import { type ChunkStream, chunkTimes, decodeLine } from './chunk';
import { type LogQuery, matchesQuery } from './query';
import { type LogRecord, levelRank } from './record';

/**
 * A term whose lower case appears in a message also appears, unchanged, in that message's
 * JSON line, unless JSON escapes one of its characters (quote, backslash, controls, lone
 * surrogates). Such terms can pre-select lines without parsing them.
 */
function lineSafe(term: string): boolean {
  if (!term) return false;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/**
 * A found line not decoded yet (a scan with `lazy`): a search that returns one page of many
 * matches decodes only that page.
 */
export class LineHit {
  /** The line, or where it is in `bytes`. */
  constructor(
    readonly line: string | ChunkBytes,
    readonly t: number,
    readonly stream: ChunkStream,
    readonly start = 0,
    readonly end = 0,
  ) {}
}

/** The record a scan found. */
export const hitRecord = (hit: LogRecord | LineHit): LogRecord =>
  hit instanceof LineHit
    ? decodeLine(
        typeof hit.line === 'string' ? hit.line : hit.line.toString('utf8', hit.start, hit.end),
        hit.t,
        hit.stream,
      )
    : hit;

/** A chunk's text as UTF-8 bytes (a Node Buffer). */
export interface ChunkBytes {
  readonly length: number;
  /** Every byte is ASCII (then offsets in the bytes and in their text agree). */
  readonly ascii?: boolean;
  indexOf(value: string | number, byteOffset?: number): number;
  toString(encoding: 'utf8', start?: number, end?: number): string;
}

/**
 * The text scan for ASCII bytes: only the lower case of the whole chunk is made as a string;
 * lines are decoded from the bytes when a term is found in them and they need checking, or
 * when the record is wanted.
 */
function scanAscii(
  bytes: ChunkBytes,
  s: ChunkStream,
  q: LogQuery,
  terms: string[],
  out: Array<LogRecord | LineHit>,
  outTimes: number[] | undefined,
  lazy: boolean,
): void {
  const lower = bytes.toString('utf8').toLowerCase();
  const headerEnd = lower.indexOf('\n');
  if (headerEnd < 0) return;
  // Digits, signs and exponents: the header reads the same in lower case.
  const at = chunkTimes(lower.slice(0, headerEnd), s.base);
  const exact = terms.length === q.text.length && !q.regex && !q.fields.length;
  terms.sort((a, b) => b.length - a.length);
  let line = 0;
  let start = headerEnd + 1;
  /** The next backslash at or after `start` (searched again once passed). */
  let backslash = -1;
  for (;;) {
    const hit = lower.indexOf(terms[0], start);
    if (hit < 0) break;
    let end: number;
    for (;;) {
      end = lower.indexOf('\n', start);
      if (end < 0) end = lower.length;
      if (end >= hit) break;
      start = end + 1;
      line++;
    }
    const t = at[line];
    if (
      t >= q.start &&
      t <= q.end &&
      (terms.length === 1 || terms.every((term) => lower.slice(start, end).includes(term)))
    ) {
      // Quotes and backslashes have no case: the lower case tells a plain JSON string.
      if (backslash < start) {
        backslash = lower.indexOf('\\', start);
        if (backslash < 0) backslash = lower.length;
      }
      if (exact && lower.charCodeAt(start) === 0x22 && backslash >= end) {
        out.push(
          lazy ? new LineHit(bytes, t, s, start, end) : decodeLine(bytes.toString('utf8', start, end), t, s),
        );
        outTimes?.push(t);
      } else {
        const r = decodeLine(bytes.toString('utf8', start, end), t, s);
        if (matchesQuery(r, q)) {
          out.push(r);
          outTimes?.push(t);
        }
      }
    }
    start = end + 1;
    line++;
  }
}

/** Shortest letter-free run of a term worth searching the bytes for (see anchorOf). */
const ANCHOR_MIN = 4;

/**
 * The longest run of ASCII characters other than letters in the (lower-case, line-safe)
 * terms. Lower case maps only letters, and never a letter to such a character, so a line whose
 * lower case holds the term holds this run unchanged, in its UTF-8 bytes too.
 */
function anchorOf(terms: string[]): string {
  let best = '';
  for (const t of terms) {
    let run = 0;
    for (let i = 0; i <= t.length; i++) {
      const c = i < t.length ? t.charCodeAt(i) : -1;
      const lower = c | 0x20;
      if (c >= 0x20 && c < 0x7f && !(lower >= 0x61 && lower <= 0x7a)) run++;
      else {
        if (run > best.length) best = t.slice(i - run, i);
        run = 0;
      }
    }
  }
  return best;
}

type Check = (line: string, t: number, found?: boolean) => void;

function checker(
  s: ChunkStream,
  q: LogQuery,
  terms: string[],
  out: Array<LogRecord | LineHit>,
  outTimes: number[] | undefined,
  lazy: boolean,
): Check {
  // A line that is a JSON string without escapes is the message in quotes: when every term is
  // line-safe and found in the line, the text matches and nothing else needs checking.
  const exact = terms.length === q.text.length && !q.regex && !q.fields.length;
  return (line, t, found = false) => {
    if (t < q.start || t > q.end) return;
    if (found && exact && line.charCodeAt(0) === 0x22 && !line.includes('\\')) {
      out.push(lazy ? new LineHit(line, t, s) : decodeLine(line, t, s));
      outTimes?.push(t);
      return;
    }
    const r = decodeLine(line, t, s);
    if (matchesQuery(r, q)) {
      out.push(r);
      outTimes?.push(t);
    }
  };
}

/**
 * The bytes scan for terms with a letter-free run (ids, numbers, paths): the run is searched
 * in the bytes as they are, and only the lines holding it are decoded and lower-cased. False
 * when the terms have no such run (or capital sigma is about): the text scan is for those.
 */
function scanBytes(
  bytes: ChunkBytes,
  s: ChunkStream,
  q: LogQuery,
  out: Array<LogRecord | LineHit>,
  outTimes: number[] | undefined,
  lazy: boolean,
): boolean {
  const terms = q.text.map((t) => t.toLowerCase()).filter(lineSafe);
  const anchor = anchorOf(terms);
  // ASCII bytes hold no capital sigma.
  if (anchor.length < ANCHOR_MIN || (!bytes.ascii && bytes.indexOf('\u03a3') >= 0)) return false;
  const headerEnd = bytes.indexOf(0x0a);
  if (headerEnd < 0) return true;
  if (q.services && !q.services.includes(s.service)) return true;
  if (q.level && levelRank(s.level) < levelRank(q.level)) return true;
  const check = checker(s, q, terms, out, outTimes, lazy);
  let at: number[] | undefined;
  let line = 0;
  let lineStart = headerEnd + 1;
  for (;;) {
    const hit = bytes.indexOf(anchor, lineStart);
    if (hit < 0) break;
    for (;;) {
      const nl = bytes.indexOf(0x0a, lineStart);
      if (nl < 0 || nl >= hit) break;
      lineStart = nl + 1;
      line++;
    }
    let end = bytes.indexOf(0x0a, hit);
    if (end < 0) end = bytes.length;
    const text = bytes.toString('utf8', lineStart, end);
    const lower = text.toLowerCase();
    if (terms.every((t) => lower.includes(t))) {
      at ??= chunkTimes(bytes.toString('utf8', 0, headerEnd), s.base);
      check(text, at[line], true);
    }
    lineStart = end + 1;
    line++;
  }
  return true;
}

/**
 * The records of a chunk matching the query, appended to `out`. Lines outside the time window
 * or whose lower-case text lacks one of the query's terms are passed over without being
 * parsed; the rest are decoded and checked in full. `outTimes` gets each found record's ms.
 * With `lazy`, lines that match without being decoded are appended as LineHits. Given its
 * bytes, a chunk is only decoded as a whole when the terms need it.
 */
export function scanChunk(
  text: string | ChunkBytes,
  s: ChunkStream,
  q: LogQuery,
  out: LogRecord[],
  outTimes?: number[],
): void;
export function scanChunk(
  text: string | ChunkBytes,
  s: ChunkStream,
  q: LogQuery,
  out: Array<LogRecord | LineHit>,
  outTimes: number[] | undefined,
  lazy: true,
): void;
export function scanChunk(
  chunk: string | ChunkBytes,
  s: ChunkStream,
  q: LogQuery,
  out: Array<LogRecord | LineHit>,
  outTimes?: number[],
  lazy = false,
): void {
  if (typeof chunk !== 'string') {
    if (scanBytes(chunk, s, q, out, outTimes, lazy)) return;
    const terms = q.text.map((t) => t.toLowerCase()).filter(lineSafe);
    if (chunk.ascii && terms.length) {
      if (q.services && !q.services.includes(s.service)) return;
      if (q.level && levelRank(s.level) < levelRank(q.level)) return;
      scanAscii(chunk, s, q, terms, out, outTimes, lazy);
      return;
    }
  }
  const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  const headerEnd = text.indexOf('\n');
  const at = chunkTimes(headerEnd < 0 ? text : text.slice(0, headerEnd), s.base);
  if (headerEnd < 0) return;
  const terms = q.text.map((t) => t.toLowerCase()).filter(lineSafe);
  if (q.services && !q.services.includes(s.service)) return;
  if (q.level && levelRank(s.level) < levelRank(q.level)) return;
  const check = checker(s, q, terms, out, outTimes, lazy);
  // Lower case is per character except for capital sigma, whose lower case depends on its
  // neighbours (and those differ between a message and its JSON line): no shortcuts then.
  if (terms.length && !text.includes('\u03a3')) {
    // The longest term first: it rejects most lines.
    terms.sort((a, b) => b.length - a.length);
    const lower = text.toLowerCase();
    if (lower.length === text.length) {
      // Offsets agree: find the first term's hits in the whole text, then check their lines.
      let line = 0;
      let start = headerEnd + 1;
      for (;;) {
        const hit = lower.indexOf(terms[0], start);
        if (hit < 0) break;
        // The first newline at or after the hit ends its line.
        let end: number;
        for (;;) {
          end = text.indexOf('\n', start);
          if (end < 0) end = text.length;
          if (end >= hit) break;
          start = end + 1;
          line++;
        }
        if (terms.length === 1 || terms.every((t) => lower.slice(start, end).includes(t)))
          check(text.slice(start, end), at[line], true);
        start = end + 1;
        line++;
      }
      return;
    }
    const lines = text.split('\n');
    const lowerLines = lower.split('\n');
    for (let i = 1; i < lines.length; i++)
      if (terms.every((t) => lowerLines[i].includes(t))) check(lines[i], at[i - 1], true);
    return;
  }
  const lines = text.split('\n');
  const all = q.text.length === 0;
  for (let i = 1; i < lines.length; i++) check(lines[i], at[i - 1], all);
}
