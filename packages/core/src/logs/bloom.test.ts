import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockKeys } from './blocks';
import { buildChunkFilters, ChunkFilter } from './bloom';

/**
 * Filters are stored with their chunks and read by every later search, so however the build
 * is sped up it must set the very bits of the plain definition: two hashes of each lower-case
 * trigram of each message, six of each lower-case id, then folded while at most 60 % full.
 */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function reference(messages: string[], ids: string[], textLength: number): Uint8Array {
  let m = 1024;
  while (m < textLength * 2 && m < 1 << 23) m *= 2;
  const bits = new Uint8Array(m / 8);
  const set = (p: number) => {
    const q = p & (m - 1);
    bits[q >>> 3] |= 1 << (q & 7);
  };
  for (const message of messages) {
    const lower = message.toLowerCase();
    for (let i = 0; i + 3 <= lower.length; i++) {
      const [a, b, c] = [0, 1, 2].map((k) => lower.charCodeAt(i + k));
      const h1 = fmix(Math.imul((a << 16) ^ b, 0xcc9e2d51) ^ c);
      set(h1);
      set(fmix(h1 ^ 0x5bd1e995 ^ Math.imul(c, 0x1b873593)));
    }
  }
  for (const id of ids) {
    const lower = id.toLowerCase();
    for (let k = 0; k < 6; k++) {
      let h = 0x811c9dc5 ^ k;
      for (let i = 0; i < lower.length; i++) h = Math.imul(h ^ lower.charCodeAt(i), 0x01000193);
      set(fmix(h));
    }
  }
  let size = bits.length;
  const ones = (n: number) =>
    bits.subarray(0, n).reduce((s, v) => s + v.toString(2).replaceAll('0', '').length, 0);
  while (size * 8 > 1024) {
    const f = ones(size) / (size * 8);
    if (2 * f - f * f > 0.6) break;
    const half = size / 2;
    for (let i = 0; i < half; i++) bits[i] |= bits[i + half];
    size = half;
  }
  return bits.slice(0, size);
}

// Upper and lower case, characters whose lower case is longer (İ) or depends on context (Σ),
// astral ones, and runs of the same words as log lines have.
const pieces = [
  'a',
  'B',
  'z',
  'Z',
  ' ',
  '@',
  '[',
  '`',
  '{',
  '~',
  '\u007f',
  'İ',
  'Σ',
  'é',
  '😀',
  'ERROR ',
  'conn=',
  '42',
];
const message = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => p.join(''));

describe('ChunkFilter.build', () => {
  it('sets exactly the bits of the plain definition', () => {
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 60 }),
        fc.array(fc.constantFrom('abc', 'DEF-1', 'İd'), { maxLength: 3 }),
        fc.integer({ min: 0, max: 5000 }),
        (messages, ids, extra) => {
          const textLength = messages.reduce((n, m) => n + m.length, 0) + extra;
          const built = ChunkFilter.build(messages, ids, textLength).bits;
          expect(Buffer.from(built).toString('hex')).toBe(
            Buffer.from(reference(messages, ids, textLength)).toString('hex'),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('sets the same bits when a filter is built after another', () => {
    const first = ['Connection reset by PEER', 'connection reset'];
    const second = ['Disk full on /var', 'connection closed'];
    ChunkFilter.build(first, [], 100);
    expect(Buffer.from(ChunkFilter.build(second, [], 100).bits)).toEqual(
      Buffer.from(reference(second, [], 100)),
    );
  });
});

describe('buildChunkFilters', () => {
  it('sets the bits of ChunkFilter.build and of BlockKeys.build for each block', () => {
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 60 }),
        fc.array(fc.constantFrom('abc', 'DEF-1', 'İd'), { maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (messages, ids, cuts) => {
          const textLength = messages.reduce((n, m) => n + m.length, 0);
          const starts = [...new Set([0, ...cuts.map((c) => c % Math.max(1, messages.length))])].sort(
            (a, b) => a - b,
          );
          const { filter, blocks } = buildChunkFilters(messages, ids, textLength, starts);
          const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
          expect(hex(filter.bits)).toBe(hex(reference(messages, ids, textLength)));
          expect(blocks.map((k) => hex(k.bits))).toEqual(
            starts.map((s, b) => hex(BlockKeys.build(messages.slice(s, starts[b + 1])).bits)),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
