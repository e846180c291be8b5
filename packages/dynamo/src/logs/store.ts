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

/** One ingest write in arrival order: the chunks it stored, for live tail. */
interface Arrival {
  seq: number;
  /** Wall-clock ms when it was recorded, to tell a slow writer from a failed one. */
  at: number;
  chunks: Array<{ id: string; service: string; level: Level; source: string; count: number }>;
}

const SEQ_KEY = { PK: 'LOGSEQ', SK: 'SEQ' };
/** Arrivals per partition of the tail's sort order. */
const TAIL_PARTITION = 1000;
/** How long a tail can resume from an old position. */
const TAIL_KEEP_SECONDS = 86_400;
/**
 * A missing arrival number followed by a later one is a write still in flight; after this long
 * it is taken for a write that failed (its request got an error) and the tail moves past it.
 */
export const TAIL_GAP_GRACE_MS = 10_000;

/**
 * A tail position: every record up to and including (seq, chunk, line) was seen. Written
 * `seq` (the whole arrival) or `seq.chunk.line`.
 */
export interface TailPosition {
  seq: number;
  chunk: number;
  line: number;
}

export const formatTailPosition = (p: TailPosition) =>
  p.chunk === Number.MAX_SAFE_INTEGER ? String(p.seq) : `${p.seq}.${p.chunk}.${p.line}`;

/** Parses a position this store formatted; undefined when it is not one. */
export function parseTailPosition(text: string): TailPosition | undefined {
  const m = /^(\d{1,15})(?:\.(\d{1,6})\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return undefined;
  return m[2] === undefined
    ? { seq: Number(m[1]), chunk: Number.MAX_SAFE_INTEGER, line: 0 }
    : { seq: Number(m[1]), chunk: Number(m[2]), line: Number(m[3]) };
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
      const list = streams.get(key);
      if (list) list.push(r);
      else streams.set(key, [r]);
    }
    const retention = await this.retentionDays([...new Set(records.map((r) => r.service))]);
    const items: Item[] = [];
    const arrivals: Arrival['chunks'] = [];
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
        arrivals.push({ id, service, level, source, count: chunkRecords.length });
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
    // Only once its chunks are readable does a write take its place in arrival order, so a
    // tail that sees the arrival can always read what it names.
    const seq = Number((await this.table.increment(SEQ_KEY, { seq: 1 })).seq);
    await this.table.put({
      PK: `LOGTAIL#${Math.floor(seq / TAIL_PARTITION)}`,
      SK: pad(seq),
      seq,
      at: Date.now(),
      chunks: arrivals,
      expiresAt: Math.floor(now / 1000) + TAIL_KEEP_SECONDS,
    });
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

  /** The oldest timestamp each service still keeps at `now`. */
  private async cutoffs(services: string[], now: number): Promise<Map<string, number>> {
    const days = await this.retentionDays(services);
    return new Map(services.map((s) => [s, now - (days.get(s) ?? DEFAULT_RETENTION_DAYS) * 86_400_000]));
  }

  /**
   * Sets a service's retention and applies it to what is stored: chunks now wholly outside the
   * window are deleted at once, the others get the new expiry (so a longer retention keeps
   * them too). Returns how many chunks were deleted and re-dated.
   */
  async setRetention(service: string, days: number, now: number): Promise<{ deleted: number; kept: number }> {
    await this.table.put({ PK: 'LOGRETENTION', SK: service, days });
    const cutoff = now - days * 86_400_000;
    let deleted = 0;
    let kept = 0;
    for (const item of await this.all({ pk: `LOGIDX#${service}` })) {
      const index = item as unknown as ChunkIndex;
      const chunkKey = { PK: `LOGCHUNK#${index.id}`, SK: 'CHUNK' };
      if (index.maxT < cutoff) {
        await this.table.batchDelete([chunkKey, { PK: String(item.PK), SK: String(item.SK) }]);
        deleted++;
        continue;
      }
      const expiresAt = Math.floor((index.maxT + days * 86_400_000) / 1000);
      if (item.expiresAt === expiresAt) continue;
      const [chunk] = await this.table.batchGet([chunkKey]);
      if (!chunk) continue;
      await this.table.batchPut([
        { ...chunk, expiresAt },
        { ...item, expiresAt },
      ]);
      kept++;
    }
    return { deleted, kept };
  }

  /**
   * Records that arrived after `after`, in arrival order, matching the query's filters (its
   * time window is not applied: a tail shows whatever arrives, late timestamps included).
   * Stops before an arrival number still in flight so nothing is passed over, and after whole
   * arrivals once `limit` records are found; `position` is where the next read continues.
   * `after` undefined means from now on.
   */
  async tail(
    q: LogQuery,
    after: TailPosition | undefined,
    limit = 5000,
  ): Promise<{ records: Array<{ id: string; record: LogRecord }>; position: TailPosition }> {
    const latest = Number((await this.table.get(SEQ_KEY, { consistent: true }))?.seq ?? 0);
    const end = Number.MAX_SAFE_INTEGER;
    if (!after) return { records: [], position: { seq: latest, chunk: end, line: 0 } };
    let position = after;
    const records: Array<{ id: string; record: LogRecord }> = [];
    const open = { ...q, start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY };
    const first = after.chunk === end ? after.seq + 1 : after.seq;
    if (first > latest) return { records, position };
    const arrivals: Arrival[] = [];
    for (let part = Math.floor(first / TAIL_PARTITION); part <= Math.floor(latest / TAIL_PARTITION); part++)
      for (const item of await this.all({ pk: `LOGTAIL#${part}`, sk: { gte: pad(first) } }))
        arrivals.push(item as unknown as Arrival);
    let expected = first;
    for (const arrival of arrivals) {
      if (records.length >= limit) break;
      if (arrival.seq > expected && Date.now() - Number(arrival.at) < TAIL_GAP_GRACE_MS) break;
      const wanted = arrival.chunks
        .map((c, i) => ({ ...c, i }))
        .filter(
          (c) =>
            (!q.services || q.services.includes(c.service)) &&
            (!q.level || levelRank(c.level) >= levelRank(q.level)) &&
            !(arrival.seq === after.seq && c.i < after.chunk),
        );
      const data = new Map(
        (await this.table.batchGet(wanted.map((c) => ({ PK: `LOGCHUNK#${c.id}`, SK: 'CHUNK' })))).map((i) => [
          String(i.PK).slice('LOGCHUNK#'.length),
          i.data as Uint8Array | undefined,
        ]),
      );
      for (const c of wanted) {
        const bytes = data.get(c.id);
        if (!bytes) continue;
        const lines = gunzipSync(bytes).toString('utf8').split('\n');
        lines.forEach((line, n) => {
          if (arrival.seq === after.seq && c.i === after.chunk && n <= after.line) return;
          const record = JSON.parse(line) as LogRecord;
          if (!matchesQuery(record, open)) return;
          records.push({ id: `${arrival.seq}.${c.i}.${n}`, record });
        });
      }
      position = { seq: arrival.seq, chunk: end, line: 0 };
      expected = arrival.seq + 1;
    }
    return { records, position };
  }

  /**
   * Every record matching the query, newest first, reading only chunks whose time range, level
   * counts and trigram filter allow a match. `ids` narrows by trace or request id.
   */
  async search(
    q: LogQuery,
    ids: string[] = [],
    now?: number,
  ): Promise<{ records: LogRecord[]; stats: SearchStats }> {
    const services = q.services ?? (await this.services());
    const candidates: ChunkIndex[] = [];
    const cutoffs = now === undefined ? new Map<string, number>() : await this.cutoffs(services, now);
    let skipped = 0;
    for (const service of services) {
      const from = Math.max(q.start, cutoffs.get(service) ?? q.start);
      for (const item of await this.all({ pk: `LOGIDX#${service}`, sk: { gte: pad(from) } })) {
        const index = item as unknown as ChunkIndex;
        if (index.id === undefined) continue;
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
        if (!chunk.data) continue;
        for (const line of gunzipSync(chunk.data as Uint8Array)
          .toString('utf8')
          .split('\n')) {
          const record = JSON.parse(line) as LogRecord;
          if (!matchesQuery(record, q)) continue;
          const cutoff = cutoffs.get(record.service);
          if (cutoff !== undefined && Date.parse(record.timestamp) < cutoff) continue;
          records.push(record);
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
