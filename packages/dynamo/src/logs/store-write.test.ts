import type { Level, LogRecord } from '@vigil/core/logs';
import { describe, expect, it } from 'vitest';
import { MemoryTableStore } from '../memory-table-store';
import { LogStore } from './store';

const T = Date.parse('2026-11-23T10:00:00Z');
const NOW = T + 3_600_000;

/** What a write stored, without the random chunk ids. */
async function stored(table: MemoryTableStore, services: string[]) {
  const out: string[] = [];
  for (const service of services) {
    const { items } = await table.query({ pk: `LOGIDX#${service}` });
    for (const index of items) {
      const id = String(index.SK).split('#')[1];
      const [chunk] = await table.batchGet([{ PK: `LOGCHUNK#${id}`, SK: 'CHUNK' }]);
      const { SK: _sk, ...rest } = index;
      const bytes = (v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);
      out.push(JSON.stringify(Object.entries({ ...rest, data: chunk.data }).map(([k, v]) => [k, bytes(v)])));
    }
  }
  return out.sort();
}

describe('LogStore.write', () => {
  it('stores the same chunks whether it is given the records’ times or reads them', async () => {
    // Streams interleaved, times out of order, and a record far from its neighbours.
    const levels: Level[] = ['info', 'error', 'info', 'warn'];
    const records: LogRecord[] = Array.from({ length: 400 }, (_, i) => ({
      timestamp: new Date(T + ((i * 7919) % 400) * 1000 + (i === 123 ? 86_400_000 : 0)).toISOString(),
      level: levels[i % 4],
      service: i % 3 ? 'api' : 'web',
      message: `request ${i} took ${i % 17} ms "quoted" Σ`,
      source: i % 5 ? 'api' : 'otlp',
      ...(i % 11 === 0 && { trace_id: `trace-${i}` }),
      attributes: i % 13 === 0 ? { route: `/r/${i}` } : {},
    }));
    const read = new MemoryTableStore('logs');
    const given = new MemoryTableStore('logs');
    await new LogStore(read).write(records, NOW);
    await new LogStore(given).write(
      records,
      NOW,
      records.map((r) => Date.parse(r.timestamp)),
    );
    const a = await stored(read, ['api', 'web']);
    expect(a.length).toBeGreaterThan(5);
    expect(await stored(given, ['api', 'web'])).toEqual(a);
  });
});
