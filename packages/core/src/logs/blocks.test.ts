import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BlockKeys,
  blocksFor,
  decodeBlockIndex,
  decodeBlockLayout,
  encodeBlockIndex,
  encodeBlockLayout,
  termKeys,
} from './blocks';

// Separators, digits, letters of both cases, and text beyond ASCII whose lower case is longer
// (İ) or depends on its neighbours (Σ): keys must agree whatever the case mapping does.
const units = [
  'a',
  'B',
  'z',
  '0',
  '7',
  '-',
  '_',
  ' ',
  '/',
  ':',
  '.',
  '\n',
  '"',
  '\\',
  'İ',
  'Σ',
  'é',
  '😀',
  'K',
];
const runs = ['abcdefgh', 'ABCDEFGHij', '12345678', '1030832046197982436', 'blk_-', 'Σσς12345'];
const text = fc.array(fc.constantFrom(...units, ...runs), { maxLength: 40 }).map((cs) => cs.join(''));

describe('BlockKeys', () => {
  it('never rules out a block holding a message that contains the term', () => {
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (messages, pick, from, length, upper) => {
          // A term cut from a message (so that it is found), its case changed or not.
          const m = messages[pick % messages.length];
          const start = from % (m.length + 1);
          let term = m.slice(start, start + (length % 30));
          if (upper) term = term.toUpperCase();
          const holds = messages.some((x) => x.toLowerCase().includes(term.toLowerCase()));
          if (holds) expect(BlockKeys.build(messages).mayHold(termKeys(term))).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('rules out blocks lacking a long id, about one in a hundred passing by chance', () => {
    const id = (n: number) => `${(n * 7_919_993_117_301) % 9_007_199_254_740_991}`;
    const blocks = Array.from({ length: 100 }, (_, b) =>
      BlockKeys.build(
        Array.from(
          { length: 200 },
          (_, i) => `Receiving block blk_-${id(b * 200 + i)} src: /10.250.19.102:54106`,
        ),
      ),
    );
    expect(blocks[3].mayHold(termKeys(`blk_-${id(3 * 200 + 17)}`))).toBe(true);
    let passed = 0;
    for (let b = 0; b < blocks.length; b++)
      if (blocks[b].mayHold(termKeys(`blk_-${id(50_000 + b)}`))) passed++;
    expect(passed).toBeLessThan(5);
    // About 10 bits per distinct key.
    expect(blocks[0].bits.length).toBeLessThanOrEqual(Math.ceil((200 * 10) / 8) + 1);
  });

  it.each([
    // [term, keys]: a key needs a separator before it inside the term and 8 token units after.
    ['1030832046197982436', 0], // could be the end of a longer token
    ['blk_-1030832046197982436', 1],
    ['blk_-10308320', 1],
    ['blk_-1030832', 0], // too short to be a whole key
    ['x PacketResponder 1 for block', 1],
    ['a/abcdefgh/ABCDEFGH', 2],
  ])('%s has %i keys', (term, keys) => {
    expect(termKeys(term)).toHaveLength(keys);
  });

  it('a block with no keys passes only terms that need none', () => {
    const empty = BlockKeys.build(['short words only']);
    expect(empty.bits.length).toBe(0);
    expect(empty.mayHold(termKeys('words'))).toBe(true);
    expect(empty.mayHold(termKeys('x abcdefghij'))).toBe(false);
  });
});

describe('block index and layout', () => {
  it('round-trip, and blocksFor picks blocks by time range and keys', () => {
    const base = 1_790_000_000_000;
    const blocks = [
      { minT: base, maxT: base + 1000, keys: BlockKeys.build(['GET /users/12345678 ok']) },
      { minT: base + 1000, maxT: base + 5000, keys: BlockKeys.build(['GET /orders/87654321 ok']) },
      { minT: base - 20, maxT: base + 2 ** 40, keys: BlockKeys.build([]) },
    ];
    const decoded = decodeBlockIndex(base, encodeBlockIndex(base, blocks));
    expect(decoded.map((b) => [b.minT, b.maxT, [...b.keys.bits]])).toEqual(
      blocks.map((b) => [b.minT, b.maxT, [...b.keys.bits]]),
    );
    const q = (text: string[], start = base - 1e6, end = base + 1e6) =>
      blocksFor(decoded, { text, start, end });
    expect(q(['/orders/87654321'])).toEqual([1]);
    expect(q(['ok'])).toEqual([0, 1, 2]);
    expect(q(['ok'], base + 1500, base + 1600)).toEqual([1, 2]);
    expect(q([], base + 6000, base + 7000)).toEqual([2]);

    const sizes = [
      { packed: 5, textBytes: 300 },
      { packed: 200_000, textBytes: 2 ** 33 },
    ];
    const head = encodeBlockLayout(sizes);
    const data = new Uint8Array(head.length + 200_005);
    data.set(head);
    expect(decodeBlockLayout(data)).toEqual([
      { start: head.length, end: head.length + 5, textBytes: 300 },
      { start: head.length + 5, end: head.length + 200_005, textBytes: 2 ** 33 },
    ]);
  });
});
