import { hash53 } from '../metrics/series';
import { BlockKeys, fmix, KEY_LENGTH, SEPARATOR } from './blocks';

/**
 * A Bloom filter over the trigrams of a chunk's text and its field values, so a search skips
 * chunks that cannot contain a substring: every trigram of the searched text must be present.
 */
export class TrigramBloom {
  readonly bits: Uint8Array;
  readonly hashes: number;

  constructor(bits: Uint8Array, hashes = 4) {
    this.bits = bits;
    this.hashes = hashes;
  }

  /** A filter sized for `items` entries at about 2 % false positives. */
  static forItems(items: number): TrigramBloom {
    const m = Math.max(1024, Math.ceil(items * 8.5));
    return new TrigramBloom(new Uint8Array(Math.ceil(m / 8)));
  }

  private positions(token: string): number[] {
    const h = hash53(token);
    const a = Number.parseInt(h.slice(0, 6), 36);
    const b = Number.parseInt(h.slice(6), 36) | 1;
    const m = this.bits.length * 8;
    return Array.from({ length: this.hashes }, (_, i) => (a + i * b) % m);
  }

  add(token: string): void {
    for (const p of this.positions(token)) this.bits[p >> 3] |= 1 << (p & 7);
  }

  has(token: string): boolean {
    return this.positions(token).every((p) => (this.bits[p >> 3] & (1 << (p & 7))) !== 0);
  }
}

/** Distinct lower-case trigrams of a text. */
export function trigrams(text: string): Set<string> {
  const lower = text.toLowerCase();
  const out = new Set<string>();
  for (let i = 0; i + 3 <= lower.length; i++) out.add(lower.slice(i, i + 3));
  return out;
}

/** Whether a chunk with this filter may contain `text` (false means certainly not). */
export function mayContain(bloom: TrigramBloom, text: string): boolean {
  for (const t of trigrams(text)) if (!bloom.has(t)) return false;
  return true;
}

/** Two independent 32-bit hashes of the trigram (a, b, c) of UTF-16 code units. */
function trigramHashes(a: number, b: number, c: number): [number, number] {
  const h1 = fmix(Math.imul((a << 16) ^ b, 0xcc9e2d51) ^ c);
  return [h1, fmix(h1 ^ 0x5bd1e995 ^ Math.imul(c, 0x1b873593))];
}

/** A 32-bit hash of a whole token with a seed. */
function tokenHash(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix(h);
}

/** Set bits of the filter being built, counted as they are set: the first fold needs no count. */
let ones = 0;

/** Sets bit p of a filter being built. */
function setBit(words: Uint32Array, p: number): void {
  const bit = 1 << (p & 31);
  if ((words[p >>> 5] & bit) !== 0) return;
  words[p >>> 5] |= bit;
  ones++;
}

/** Sets the two bits of each trigram of a lower-case text. */
function addTrigrams(words: Uint32Array, mask: number, lower: string): void {
  // trigramHashes inlined, with the next trigram's first two units carried over.
  let a = lower.charCodeAt(0);
  let b = lower.charCodeAt(1);
  for (let i = 2; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    const h1 = fmix(Math.imul((a << 16) ^ b, 0xcc9e2d51) ^ c);
    const h2 = fmix(h1 ^ 0x5bd1e995 ^ Math.imul(c, 0x1b873593));
    setBit(words, h1 & mask);
    setBit(words, h2 & mask);
    a = b;
    b = c;
  }
}

/**
 * The ASCII trigrams a filter being built has set, one bit per (a, b, c) of 7 bits each: log
 * lines repeat a few thousand trigrams, so most are found here and not hashed again.
 */
const seen = new Int32Array((1 << 21) / 32);
/**
 * What a UTF-16 unit is, in one lookup: for ASCII its lower case, plus SEPARATES when it
 * separates tokens (blocks' keys); NOT_ASCII for any other unit.
 */
const SEPARATES = 0x80;
const NOT_ASCII = 0x100;
const units = new Uint16Array(0x10000).fill(NOT_ASCII);
for (let c = 0; c < 0x80; c++) {
  const lower = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
  units[c] = lower | (SEPARATOR[lower] ? SEPARATES : 0);
}

/** Sets the bits of the ASCII trigram `key` (7 bits a unit, `c` last) unless they are set. */
function addAsciiTrigram(words: Uint32Array, mask: number, key: number, c: number): void {
  const bit = 1 << (key & 31);
  if ((seen[key >>> 5] & bit) !== 0) return;
  seen[key >>> 5] |= bit;
  const h1 = fmix(Math.imul(((key >>> 14) << 16) ^ ((key >>> 7) & 0x7f), 0xcc9e2d51) ^ c);
  const h2 = fmix(h1 ^ 0x5bd1e995 ^ Math.imul(c, 0x1b873593));
  setBit(words, h1 & mask);
  setBit(words, h2 & mask);
}

/**
 * Sets the bits of a message's lower-case trigrams, as addTrigrams(message.toLowerCase())
 * does: ASCII is lowered as it is read and each distinct trigram hashed once; a message with
 * other characters (whose lower case may be longer) is lowered and hashed whole.
 */
function addMessage(words: Uint32Array, mask: number, message: string): void {
  // The last three characters, 7 bits each.
  let key = 0;
  for (let i = 0; i < message.length; i++) {
    const u = units[message.charCodeAt(i)];
    if (u === NOT_ASCII) {
      addTrigrams(words, mask, message.toLowerCase());
      return;
    }
    const c = u & 0x7f;
    key = ((key << 7) | c) & 0x1fffff;
    if (i >= 2) addAsciiTrigram(words, mask, key, c);
  }
}

const FNV_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Adds the block keys of a lower-case message to `keys`, as BlockKeys.build reads them: the
 * hash of the first KEY_LENGTH units of each token that follows a separator. `afterSeparator`:
 * the message is not its block's first (a newline precedes it in the block's text).
 */
function addKeys(lower: string, keys: Set<number>, afterSeparator: boolean): void {
  // Token units since the last separator; -1 once the token has its key, or when no separator
  // precedes it.
  let run = afterSeparator ? 0 : -1;
  let h = FNV_BASIS;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c < 0x80 && SEPARATOR[c]) {
      run = 0;
      h = FNV_BASIS;
    } else if (run >= 0) {
      h = Math.imul(h ^ c, FNV_PRIME);
      if (++run === KEY_LENGTH) {
        keys.add(fmix(h));
        run = -1;
      }
    }
  }
}

/** The separator flags of a separator and the KEY_LENGTH units after it, and that pattern. */
const KEY_WINDOW = (2 << KEY_LENGTH) - 1;
const KEY_START = 1 << KEY_LENGTH;

/** addMessage and addKeys in one pass over an ASCII message (others are lowered first). */
function addMessageAndKeys(
  words: Uint32Array,
  mask: number,
  message: string,
  keys: Set<number>,
  afterSeparator: boolean,
): void {
  let key = 0;
  // Whether each of the last units separates tokens, the latest in bit 0.
  let separators = afterSeparator ? 1 : 0;
  for (let i = 0; i < message.length; i++) {
    const u = units[message.charCodeAt(i)];
    if (u === NOT_ASCII) {
      const lower = message.toLowerCase();
      addTrigrams(words, mask, lower);
      addKeys(lower, keys, afterSeparator);
      return;
    }
    const c = u & 0x7f;
    // Below NOT_ASCII, u's bit 7 is SEPARATES.
    separators = (separators << 1) | (u >>> 7);
    // A separator, then KEY_LENGTH token units: a key.
    if ((separators & KEY_WINDOW) === KEY_START) addKeyAt(message, i + 1 - KEY_LENGTH, keys);
    key = ((key << 7) | c) & 0x1fffff;
    // The common case, a trigram seen already, without a call.
    if (i >= 2 && (seen[key >>> 5] & (1 << (key & 31))) === 0) addAsciiTrigram(words, mask, key, c);
  }
}

/** Hashes per id token: ids are looked up alone, so they get more than a trigram's two. */
const ID_HASHES = 6;
const MIN_BITS = 1024;
/** Folding stops before more than this share of the bits is set. */
const MAX_FILL = 0.6;

/** Adds the key of the KEY_LENGTH ASCII units of a message from `from`. */
function addKeyAt(message: string, from: number, keys: Set<number>): void {
  let h = FNV_BASIS;
  for (let k = from; k < from + KEY_LENGTH; k++)
    h = Math.imul(h ^ (units[message.charCodeAt(k)] & 0x7f), FNV_PRIME);
  keys.add(fmix(h));
}

/** The words of a new filter for text of this length, and the build state reset. */
function startFilter(textLength: number): Uint32Array {
  let m = MIN_BITS;
  while (m < textLength * 2 && m < 1 << 23) m *= 2;
  ones = 0;
  seen.fill(0);
  return new Uint32Array(m / 32);
}

/** Adds the ids and folds the filter to its final size. */
function finishFilter(words: Uint32Array, ids: Iterable<string>): ChunkFilter {
  const mask = words.length * 32 - 1;
  for (const id of ids) {
    const lower = id.toLowerCase();
    for (let k = 0; k < ID_HASHES; k++) setBit(words, tokenHash(lower, k) & mask);
  }
  let size = words.length;
  // Folding ORs the upper half onto the lower: a position p mod m/2 is p mod m, mod m/2. The
  // set bits of the folded half are counted as it is folded.
  while (size * 32 > MIN_BITS) {
    const f = ones / (size * 32);
    if (2 * f - f * f > MAX_FILL) break;
    const half = size / 2;
    ones = 0;
    for (let i = 0; i < half; i++) {
      const folded = words[i] | words[i + half];
      words[i] = folded;
      let v = folded - ((folded >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      ones += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    size = half;
  }
  return new ChunkFilter(new Uint8Array(words.buffer.slice(0, size * 4)));
}

/**
 * A format 3 chunk's filters from one pass over each message: the same as
 * `ChunkFilter.build(messages, ids, textLength)` and, for each block, `BlockKeys.build` of its
 * messages (block b holds messages blockStarts[b] up to the next block's start; the first
 * block starts at 0).
 */
export function buildChunkFilters(
  messages: readonly string[],
  ids: Iterable<string>,
  textLength: number,
  blockStarts: readonly number[],
): { filter: ChunkFilter; blocks: BlockKeys[] } {
  const words = startFilter(textLength);
  const mask = words.length * 32 - 1;
  const blocks: BlockKeys[] = [];
  for (let b = 0; b < blockStarts.length; b++) {
    const keys = new Set<number>();
    const end = b + 1 < blockStarts.length ? blockStarts[b + 1] : messages.length;
    for (let j = blockStarts[b]; j < end; j++)
      addMessageAndKeys(words, mask, messages[j], keys, j > blockStarts[b]);
    blocks.push(BlockKeys.fromKeys(keys));
  }
  return { filter: finishFilter(words, ids), blocks };
}

/**
 * The token filter of a chunk (index format 2): a Bloom filter over the lower-case trigrams of
 * its messages (two hashes each) and its trace/span/request ids (six hashes each). It is built
 * large and folded in half while it stays at most 60 % full, so its size follows the number of
 * distinct trigrams without counting them: 2 to 4 bits each. A substring of n trigrams then
 * passes a chunk lacking it with odds of about 0.36^n at worst.
 */
export class ChunkFilter {
  readonly bits: Uint8Array;
  private readonly mask: number;

  constructor(bits: Uint8Array) {
    this.bits = bits;
    this.mask = bits.length * 8 - 1;
  }

  /** A filter over these messages and ids, folded to its final size. */
  static build(messages: Iterable<string>, ids: Iterable<string>, textLength: number): ChunkFilter {
    const words = startFilter(textLength);
    const mask = words.length * 32 - 1;
    for (const message of messages) addMessage(words, mask, message);
    return finishFilter(words, ids);
  }

  private has(p: number): boolean {
    const q = p & this.mask;
    return (this.bits[q >>> 3] & (1 << (q & 7))) !== 0;
  }

  /** Whether the chunk may hold a message containing `text` (false: certainly not). */
  mayContain(text: string): boolean {
    const lower = text.toLowerCase();
    for (let i = 0; i + 3 <= lower.length; i++) {
      const [h1, h2] = trigramHashes(lower.charCodeAt(i), lower.charCodeAt(i + 1), lower.charCodeAt(i + 2));
      if (!this.has(h1) || !this.has(h2)) return false;
    }
    return true;
  }

  /** Whether the chunk may hold a record with this trace, span or request id. */
  mayHaveId(id: string): boolean {
    const lower = id.toLowerCase();
    for (let k = 0; k < ID_HASHES; k++) if (!this.has(tokenHash(lower, k))) return false;
    return true;
  }
}
