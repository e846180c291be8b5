import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type Level,
  type LogQuery,
  type LogRecord,
  levelRank,
  matchesQuery,
  mayContain,
  TrigramBloom,
  trigrams,
} from '@vigil/core/logs';
import type { Item, TableStore } from '@vigil/core/ports';

/** Chunks stay under DynamoDB's item limit with room to spare. */
export const CHUNK_MAX_BYTES = 350_000;
export const DEFAULT_RETENTION_DAYS = 30;
const pad = (n: number) => String(n).padStart(15, '0');

interface ChunkIndex {
  id: string;
  service: string;
  level: Level;
  source: string;
  minT: number;
  maxT: number;
  count: number;
  bytes: number;
  bloom: Uint8Array;
}

/** What a search read, for the response's `stats`. */
export interface SearchStats {
  chunksRead: number;
  chunksSkipped: number;
}

/**
 * Logs in the logs table: records grouped by stream (service + level + source) into gzip NDJSON
 * chunks, each with a small index item (time range, counts, trigram filter) that searches read
 * first, so most chunks are skipped without reading their data.
 */
export class LogStore {
  constructor(private readonly table: TableStore) {}

  /** Writes records as chunks; returns how many chunks were written. */
  async write(records: LogRecord[], now: number): Promise<number> {
    const streams = new Map<string, LogRecord[]>();
    for (const r of records) {
      const key = `${r.service}\u0000${r.level}\u0000${r.source}`;
      streams.set(key, [...(streams.get(key) ?? []), r]);
    }
    const retention = await this.retentionDays([...new Set(records.map((r) => r.service))]);
    const items: Item[] = [];
    const stats: Array<{ key: { PK: string; SK: string }; records: number; bytes: number; newest: string }> =
      [];
    for (const list of streams.values()) {
      const { service, level, source } = list[0];
      let chunk: string[] = [];
      let chunkRecords: LogRecord[] = [];
      let size = 0;
      const flush = () => {
        if (!chunkRecords.length) return;
        const data = gzipSync(chunk.join('\n'));
        const times = chunkRecords.map((r) => Date.parse(r.timestamp));
        const minT = Math.min(...times);
        const maxT = Math.max(...times);
        const grams = new Set<string>();
        for (const r of chunkRecords) for (const g of trigrams(r.message)) grams.add(g);
        for (const r of chunkRecords)
          for (const id of [r.trace_id, r.request_id, r.span_id]) if (id) grams.add(`id:${id.toLowerCase()}`);
        const bloom = TrigramBloom.forItems(grams.size);
        for (const g of grams) bloom.add(g);
        const id = randomUUID();
        const expiresAt = Math.floor(
          (maxT + (retention.get(service) ?? DEFAULT_RETENTION_DAYS) * 86_400_000) / 1000,
        );
        const index: ChunkIndex = {
          id,
          service,
          level,
          source,
          minT,
          maxT,
          count: chunkRecords.length,
          bytes: size,
          bloom: bloom.bits,
        };
        items.push({ PK: `LOGIDX#${service}`, SK: `${pad(maxT)}#${id}`, ...index, expiresAt });
        items.push({ PK: `LOGCHUNK#${id}`, SK: 'CHUNK', data, expiresAt });
        stats.push({
          key: { PK: 'LOGSTREAMS', SK: `${service}#${level}#${source}` },
          records: chunkRecords.length,
          bytes: size,
          newest: new Date(maxT).toISOString(),
        });
        chunk = [];
        chunkRecords = [];
        size = 0;
      };
      for (const r of list) {
        const line = JSON.stringify(r);
        // The gzip of a chunk is far smaller than its text; capping the text keeps every item small.
        if (size + line.length > CHUNK_MAX_BYTES * 2.5) flush();
        chunk.push(line);
        chunkRecords.push(r);
        size += line.length + 1;
      }
      flush();
    }
    await this.table.batchPut(items);
    await this.table.batchPut(
      [...new Set(records.map((r) => r.service))].map((s) => ({ PK: 'LOGSERVICES', SK: s })),
    );
    for (const s of stats)
      await this.table.increment(
        s.key,
        { records: s.records, bytes: s.bytes },
        { newest: s.newest, updatedAt: now },
      );
    return items.length / 2;
  }

  async services(): Promise<string[]> {
    return (await this.all({ pk: 'LOGSERVICES' })).map((i) => String(i.SK));
  }

  async streams(): Promise<
    Array<{ service: string; level: string; source: string; records: number; bytes: number; newest: string }>
  > {
    return (await this.all({ pk: 'LOGSTREAMS' })).map((i) => {
      const [service, level, source] = String(i.SK).split('#');
      return {
        service,
        level,
        source,
        records: Number(i.records ?? 0),
        bytes: Number(i.bytes ?? 0),
        newest: String(i.newest ?? ''),
      };
    });
  }

  async retentionDays(services: string[]): Promise<Map<string, number>> {
    const items = await this.table.batchGet(services.map((s) => ({ PK: 'LOGRETENTION', SK: s })));
    return new Map(items.map((i) => [String(i.SK), Number(i.days)]));
  }

  async retention(): Promise<Record<string, number>> {
    return Object.fromEntries(
      (await this.all({ pk: 'LOGRETENTION' })).map((i) => [String(i.SK), Number(i.days)]),
    );
  }

  async setRetention(service: string, days: number): Promise<void> {
    await this.table.put({ PK: 'LOGRETENTION', SK: service, days });
  }

  /**
   * Every record matching the query, newest first, reading only chunks whose time range, level
   * counts and trigram filter allow a match. `ids` narrows by trace or request id.
   */
  async search(q: LogQuery, ids: string[] = []): Promise<{ records: LogRecord[]; stats: SearchStats }> {
    const services = q.services ?? (await this.services());
    const candidates: ChunkIndex[] = [];
    let skipped = 0;
    for (const service of services) {
      for (const item of await this.all({ pk: `LOGIDX#${service}`, sk: { gte: pad(q.start) } })) {
        const index = item as unknown as ChunkIndex;
        if (index.minT > q.end) {
          skipped++;
          continue;
        }
        if (q.level && levelRank(index.level) < levelRank(q.level)) {
          skipped++;
          continue;
        }
        const bloom = new TrigramBloom(index.bloom as Uint8Array);
        const possible =
          q.text.every((t) => t.length < 3 || mayContain(bloom, t)) &&
          ids.every((id) => bloom.has(`id:${id.toLowerCase()}`));
        if (!possible) {
          skipped++;
          continue;
        }
        candidates.push(index);
      }
    }
    const records: LogRecord[] = [];
    for (let i = 0; i < candidates.length; i += 100) {
      const chunks = await this.table.batchGet(
        candidates.slice(i, i + 100).map((c) => ({ PK: `LOGCHUNK#${c.id}`, SK: 'CHUNK' })),
      );
      for (const chunk of chunks) {
        for (const line of gunzipSync(chunk.data as Uint8Array)
          .toString('utf8')
          .split('\n')) {
          const record = JSON.parse(line) as LogRecord;
          if (matchesQuery(record, q)) records.push(record);
        }
      }
    }
    records.sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0));
    return { records, stats: { chunksRead: candidates.length, chunksSkipped: skipped } };
  }

  private async all(query: Parameters<TableStore['query']>[0]): Promise<Item[]> {
    const out: Item[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.table.query({ ...query, cursor, limit: 1000 });
      out.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return out;
  }
}
