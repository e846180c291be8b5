import { brotliCompressSync, constants } from 'node:zlib';
import { encodeBlockLayout, encodeChunk, encodeLine, type LogRecord } from '@vigil/core/logs';
import { describe, expect, it } from 'vitest';
import { type ChunkOutput, type ChunkWriting, INGEST_WRITING, KEPT_WRITING, streamChunks } from './chunks';

const T = Date.parse('2026-11-23T10:00:00Z');

/** A chunk's data as format 3 defines it, built the plain way: each block's text a new Buffer. */
function reference(records: LogRecord[], times: number[], { quality, blockBytes }: ChunkWriting): Buffer {
  const lines = records.map(encodeLine);
  const base = Math.min(...times);
  const sizes: Array<{ packed: number; textBytes: number }> = [];
  const packed: Buffer[] = [];
  for (let first = 0; first < lines.length; ) {
    let last = first + 1;
    let size = lines[first].length + 1;
    while (last < lines.length && size + lines[last].length + 1 <= blockBytes)
      size += lines[last++].length + 1;
    const text = encodeChunk(lines.slice(first, last), times.slice(first, last), base);
    const bytes = Buffer.from(text, 'utf8');
    const data = brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_LGWIN]: 18,
        [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
      },
    });
    packed.push(data);
    sizes.push({ packed: data.length, textBytes: bytes.length });
    first = last;
  }
  return Buffer.concat([encodeBlockLayout(sizes), ...packed]);
}

const record = (i: number, message: string): LogRecord => ({
  timestamp: new Date(T + i * 1000).toISOString(),
  level: 'info',
  service: 'api',
  message,
  source: 'api',
  ...(i % 7 === 0 && { trace_id: `trace-${i}` }),
  attributes: i % 11 === 0 ? { route: `/r/${i}`, note: 'Σ “x”' } : {},
});

describe('streamChunks block data', () => {
  // Multi-byte text (2, 3 and 4 UTF-8 bytes a character), escapes, a long block of wide text
  // followed by short ones, and a line too long for the shared encoding buffer.
  const messages = [
    ...Array.from({ length: 900 }, (_, i) => `ünïcödé ${i} 日本語のログ ${'€'.repeat(i % 50)} 🚀 "q" \\ \t`),
    ...Array.from({ length: 300 }, (_, i) => `plain ascii line ${i}`),
    `${'long line 🚀 '.repeat(40_000)}end`,
    ...Array.from({ length: 50 }, (_, i) => `after ${i} é`),
  ];
  const records = messages.map((m, i) => record(i, m));
  const times = records.map((r) => Date.parse(r.timestamp));

  for (const [name, writing] of [
    ['ingest', INGEST_WRITING],
    ['kept', KEPT_WRITING],
  ] as const)
    it(`are the plainly built bytes (${name})`, () => {
      // Each part small enough to be one chunk, written one after another as a process would.
      for (const [from, to] of [
        [0, 900],
        [900, 1200],
        [1200, 1251],
        [0, 1251],
      ]) {
        const out: ChunkOutput = { items: [], arrivals: [], stats: [] };
        streamChunks(records.slice(from, to), 86_400_000, T, out, writing, times.slice(from, to));
        const data = out.items.filter((item) => item.SK === 'CHUNK').map((item) => item.data as Buffer);
        if (data.length !== 1) continue;
        expect(
          Buffer.compare(data[0], reference(records.slice(from, to), times.slice(from, to), writing)),
        ).toBe(0);
      }
    });

  it('writes each part as one chunk', () => {
    for (const [from, to] of [
      [0, 900],
      [900, 1200],
      [1200, 1251],
    ]) {
      const out: ChunkOutput = { items: [], arrivals: [], stats: [] };
      streamChunks(records.slice(from, to), 86_400_000, T, out, INGEST_WRITING, times.slice(from, to));
      expect(out.items.filter((item) => item.SK === 'CHUNK')).toHaveLength(1);
    }
  });
});
