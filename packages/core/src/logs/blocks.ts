/**
 * Blocks of a chunk (format 3): a chunk's records in runs of about BLOCK_TEXT_BYTES of text,
 * each block its own format-2 text (times header, then lines), compressed on its own, so a
 * search inflates only the blocks that may hold a match. The chunk's index item says of each
 * block its time range and its token keys (BlockKeys); the chunk's data starts with the
 * blocks' sizes (blockLayout). Blocks are brotli streams, not gzip as in format 2: blocks
 * compressed on their own lose the context a whole chunk shares, and brotli (its built-in
 * dictionary, its context modelling) wins that back, keeping kept chunks over 10× smaller
 * than their text where gzip -9 of the same blocks falls short of it.
 */
import type { LogQuery } from './query';

/** Text per block (UTF-16 units): a few hundred lines, inflated in tens of microseconds. */
export const BLOCK_TEXT_BYTES = 32 * 1024;
/** Characters of a token's start that are its key. */
export const KEY_LENGTH = 8;
const BITS_PER_KEY = 10;
const HASHES = 6;

/**
 * Whether a UTF-16 unit of lower-case text separates tokens: every ASCII character but digits
 * and lower-case letters (text beyond ASCII belongs to tokens).
 */
function separates(c: number): boolean {
  return c < 0x80 && !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a));
}

/** MurmurHash3's finalizer: mixes a 32-bit value so every input bit moves every output bit. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** `separates` of each ASCII unit, looked up. */
export const SEPARATOR = Uint8Array.from({ length: 0x80 }, (_, c) => (separates(c) ? 1 : 0));

/** The key hash at `i` when a separator precedes it and KEY_LENGTH token units follow; else -1. */
function keyAt(lower: string, i: number): number {
  if (i === 0 || !separates(lower.charCodeAt(i - 1)) || i + KEY_LENGTH > lower.length) return -1;
  let h = 0x811c9dc5;
  for (let k = i; k < i + KEY_LENGTH; k++) {
    const c = lower.charCodeAt(k);
    if (separates(c)) return -1;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return fmix(h);
}

/**
 * The keys every message holding `term` (case-insensitively) has: wherever a separator in the
 * term is followed by KEY_LENGTH token characters, a message holding the term has a token
 * starting with those characters (the separator is in the message too, right before it).
 */
export function termKeys(term: string): number[] {
  const lower = term.toLowerCase();
  const keys: number[] = [];
  for (let i = 1; i + KEY_LENGTH <= lower.length; i++) {
    const h = keyAt(lower, i);
    if (h >= 0) keys.push(h);
  }
  return keys;
}

/**
 * A Bloom filter over the keys of a block's messages: the first KEY_LENGTH characters of each
 * token at least that long that follows a separator, in lower case. Ids, numbers and long words
 * make such keys; a rare one rules out almost every block (about 1 % false positives), which
 * the chunk's trigram filter cannot do for digits, as every block holds most digit trigrams.
 */
export class BlockKeys {
  constructor(readonly bits: Uint8Array) {}

  /** The keys of these messages' tokens. */
  static build(messages: string[]): BlockKeys {
    // A newline separates, and case mapping does not look past it: the same lower case as
    // each message's own.
    const lower = messages.join('\n').toLowerCase();
    const keys = new Set<number>();
    // Token units seen since the last separator; -1 once the token has its key, or when no
    // separator precedes it.
    let run = -1;
    for (let i = 0; i < lower.length; i++) {
      const c = lower.charCodeAt(i);
      if (c < 0x80 && SEPARATOR[c]) run = 0;
      else if (run >= 0 && ++run === KEY_LENGTH) {
        keys.add(keyAt(lower, i + 1 - KEY_LENGTH));
        run = -1;
      }
    }
    return BlockKeys.fromKeys(keys);
  }

  /** The filter of these key hashes. */
  static fromKeys(keys: Set<number>): BlockKeys {
    const bits = new Uint8Array(Math.ceil((keys.size * BITS_PER_KEY) / 8));
    const m = bits.length * 8;
    for (const h1 of keys) {
      const h2 = fmix(h1 ^ 0x5bd1e995) | 1;
      for (let k = 0; k < HASHES; k++) {
        const p = (h1 + Math.imul(k, h2)) >>> 0;
        const q = p % m;
        bits[q >>> 3] |= 1 << (q & 7);
      }
    }
    return new BlockKeys(bits);
  }

  /** Whether the block may hold every key (false: certainly not). */
  mayHold(keys: number[]): boolean {
    if (!keys.length) return true;
    const m = this.bits.length * 8;
    if (!m) return false;
    for (const h1 of keys) {
      const h2 = fmix(h1 ^ 0x5bd1e995) | 1;
      for (let k = 0; k < HASHES; k++) {
        const q = ((h1 + Math.imul(k, h2)) >>> 0) % m;
        if ((this.bits[q >>> 3] & (1 << (q & 7))) === 0) return false;
      }
    }
    return true;
  }
}

/** What a chunk's index item says of one of its blocks. */
export interface BlockInfo {
  minT: number;
  maxT: number;
  keys: BlockKeys;
}

/** Unsigned integers (up to 2^53) in 7-bit groups, low first. */
class Writer {
  private bytes: number[] = [];
  uint(n: number): void {
    while (n >= 0x80) {
      this.bytes.push((n % 0x80) + 0x80);
      n = Math.floor(n / 0x80);
    }
    this.bytes.push(n);
  }
  /** Signed, zigzagged. */
  int(n: number): void {
    this.uint(n < 0 ? -2 * n - 1 : 2 * n);
  }
  raw(b: Uint8Array): void {
    for (const x of b) this.bytes.push(x);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  uint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.bytes.length) throw new Error('block table ends early');
      const b = this.bytes[this.at++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }
  int(): number {
    const z = this.uint();
    return z % 2 ? -(z + 1) / 2 : z / 2;
  }
  raw(n: number): Uint8Array {
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

/** The index item's `blocks`: each block's time range (from the chunk's base) and keys. */
export function encodeBlockIndex(base: number, blocks: BlockInfo[]): Uint8Array {
  const w = new Writer();
  w.uint(blocks.length);
  for (const b of blocks) {
    w.int(b.minT - base);
    w.uint(b.maxT - b.minT);
    w.uint(b.keys.bits.length);
    w.raw(b.keys.bits);
  }
  return w.done();
}

export function decodeBlockIndex(base: number, bytes: Uint8Array): BlockInfo[] {
  const r = new Reader(bytes);
  const n = r.uint();
  const out: BlockInfo[] = [];
  for (let i = 0; i < n; i++) {
    const minT = base + r.int();
    const maxT = minT + r.uint();
    out.push({ minT, maxT, keys: new BlockKeys(r.raw(r.uint())) });
  }
  return out;
}

/** The blocks (positions) that may hold a record matching the query's time window and terms. */
export function blocksFor(blocks: BlockInfo[], q: Pick<LogQuery, 'text' | 'start' | 'end'>): number[] {
  const keys = q.text.flatMap(termKeys);
  const out: number[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.maxT >= q.start && b.minT <= q.end && b.keys.mayHold(keys)) out.push(i);
  }
  return out;
}

/** Where each block is in a chunk's data, and its text's UTF-8 bytes. */
export interface BlockSpan {
  start: number;
  end: number;
  textBytes: number;
}

/**
 * The head of a chunk's data: the number of blocks, then each block's compressed and text
 * sizes. The blocks follow, in order.
 */
export function encodeBlockLayout(blocks: Array<{ packed: number; textBytes: number }>): Uint8Array {
  const w = new Writer();
  w.uint(blocks.length);
  for (const b of blocks) {
    w.uint(b.packed);
    w.uint(b.textBytes);
  }
  return w.done();
}

export function decodeBlockLayout(data: Uint8Array): BlockSpan[] {
  const r = new Reader(data);
  const n = r.uint();
  const sizes: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) sizes.push([r.uint(), r.uint()]);
  let at = r.at;
  return sizes.map(([packed, textBytes]) => {
    const span = { start: at, end: at + packed, textBytes };
    at += packed;
    return span;
  });
}
