import {
  blocksFor,
  ChunkFilter,
  decodeBlockIndex,
  hitRecord,
  type LineHit,
  type LogQuery,
  type LogRecord,
  levelRank,
  mayContain,
  TrigramBloom,
} from '@vigil/core/logs';
import type { Item, TableStore } from '@vigil/core/ports';
import {
  adoptChunkIndex,
  type ChunkIndex,
  type ChunkOutput,
  chunkIndexOf,
  DEFAULT_RETENTION_DAYS,
  INGEST_WRITING,
  keepNewest,
  newest,
  padKey,
  searchChunk,
  streamChunks,
} from './chunks';
import {
  countWrites,
  retainStreamDays,
  STREAM_DAYS_PK,
  STREAM_TOTALS_PK,
  type StreamCount,
  type StreamWrite,
  sumStreamDays,
} from './stream-counts';
import {
  type Arrival,
  readTail,
  SEQ_KEY,
  TAIL_KEEP_SECONDS,
  TAIL_PARTITION,
  type TailPosition,
} from './tail';

/** Services this process has listed in each table already: listed once, not on every write. */
const listed = new WeakMap<TableStore, Set<string>>();
function registered(table: TableStore): Set<string> {
  const known = listed.get(table) ?? new Set<string>();
  listed.set(table, known);
  return known;
}

/**
 * Records (and their times, when given) grouped by stream (service, level and source), each
 * in the order given. A batch of one stream, as most are, is used as it is, not copied.
 */
function byStream(
  records: LogRecord[],
  times: number[] | undefined,
): Map<string, { records: LogRecord[]; times: number[] }> {
  const streams = new Map<string, { records: LogRecord[]; times: number[] }>();
  const key = (r: LogRecord) => `${r.service}\u0000${r.level}\u0000${r.source}`;
  if (!records.length) return streams;
  if (records.every((r) => sameStream(r, records[0])))
    return streams.set(key(records[0]), { records, times: times ?? [] });
  let run = { records: [] as LogRecord[], times: [] as number[] };
  let last: LogRecord | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    // Records mostly come in runs of one stream: only a new stream's key is looked up.
    if (!last || !sameStream(r, last)) {
      const k = key(r);
      const known = streams.get(k);
      if (known) run = known;
      else {
        run = { records: [], times: [] };
        streams.set(k, run);
      }
    }
    run.records.push(r);
    if (times) run.times.push(times[i]);
    last = r;
  }
  return streams;
}

const sameStream = (a: LogRecord, b: LogRecord) =>
  a.service === b.service && a.level === b.level && a.source === b.source;

/** What a search read, for the response's `stats`. */
export interface SearchStats {
  chunksRead: number;
  chunksSkipped: number;
}

/**
 * Logs in the logs table: records grouped by stream (service + level + source) into chunks of
 * brotli blocks, each with a small index item (time range, counts, and once the index-logs job
 * has run, a token filter and block table) that searches read first, so most chunks are
 * skipped without reading their data.
 */
export class LogStore {
  constructor(private readonly table: TableStore) {}

  /**
   * Writes records as chunks; returns how many chunks were written. `times` are the records'
   * timestamps in ms, when the caller has them already. The chunks get their token filters
   * from the index-logs job, within a minute (`indexLogChunks`).
   */
  async write(records: LogRecord[], now: number, times?: number[]): Promise<number> {
    const streams = byStream(records, times);
    const services = [...new Set(Array.from(streams.values(), (l) => l.records[0].service))];
    const retention = await this.retentionDays(services);
    const items: Item[] = [];
    const arrivals: Arrival['chunks'] = [];
    const stats: ChunkOutput['stats'] = [];
    const written: StreamWrite[] = [];
    for (const stream of streams.values()) {
      const first = stats.length;
      const { service, level, source } = stream.records[0];
      streamChunks(
        stream.records,
        (retention.get(service) ?? DEFAULT_RETENTION_DAYS) * 86_400_000,
        now,
        { items, arrivals, stats },
        INGEST_WRITING,
        times && stream.times,
      );
      for (let i = first; i < stats.length; i++) {
        const { records, bytes, newest } = stats[i];
        written.push({ service, level, source, records, bytes, newest });
      }
    }
    await this.table.batchPut(items);
    // Only once its chunks are readable does a write take its place in arrival order, so a
    // tail that sees the arrival can always read what it names. The counts and the list of
    // services do not wait for it.
    const fresh = services.filter((s) => !registered(this.table).has(s));
    await Promise.all([
      this.arrive(arrivals, now),
      fresh.length &&
        this.table.batchPut(fresh.map((s) => ({ PK: 'LOGSERVICES', SK: s }))).then(() => {
          for (const s of fresh) registered(this.table).add(s);
        }),
      countWrites(this.table, written, (s) => retention.get(s) ?? DEFAULT_RETENTION_DAYS, now),
    ]);
    return arrivals.length;
  }

  /** Takes the next number in arrival order for a write's chunks. */
  private async arrive(chunks: Arrival['chunks'], now: number): Promise<void> {
    const seq = Number((await this.table.increment(SEQ_KEY, { seq: 1 })).seq);
    await this.table.put({
      PK: `LOGTAIL#${Math.floor(seq / TAIL_PARTITION)}`,
      SK: padKey(seq),
      seq,
      at: Date.now(),
      chunks,
      expiresAt: Math.floor(now / 1000) + TAIL_KEEP_SECONDS,
    });
  }

  async services(): Promise<string[]> {
    return (await this.all({ pk: 'LOGSERVICES' })).map((i) => String(i.SK));
  }

  /**
   * Streams with the records and bytes they keep and their newest record: counts of chunks
   * expired by TTL or retention are gone with them. With `now`, days already past their
   * service's retention are left out before the TTL sweep removes them.
   */
  async streams(now?: number): Promise<StreamCount[]> {
    const items = await this.all({ pk: STREAM_DAYS_PK });
    if (now === undefined) return sumStreamDays(items);
    const cutoffs = await this.cutoffs([...new Set(items.map((i) => String(i.service)))], now);
    return sumStreamDays(items, (s) => cutoffs.get(s) ?? Number.NEGATIVE_INFINITY);
  }

  /** Records and bytes ever written per stream (never going down, unlike `streams`). */
  async streamTotals(): Promise<StreamCount[]> {
    return (await this.all({ pk: STREAM_TOTALS_PK })).map((i) => {
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
    const counted = await this.all({ pk: STREAM_DAYS_PK, sk: { beginsWith: `${service}#` } });
    await retainStreamDays(this.table, counted, service, days, now);
    const cutoff = now - days * 86_400_000;
    let deleted = 0;
    let kept = 0;
    for (const item of await this.all({ pk: `LOGIDX#${service}` })) {
      const index = chunkIndexOf(item);
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
   * time window is not applied: a tail shows whatever arrives, late timestamps included); see
   * `readTail`.
   */
  tail(
    q: LogQuery,
    after: TailPosition | undefined,
    limit = 5000,
  ): Promise<{ records: Array<{ id: string; record: LogRecord }>; position: TailPosition }> {
    return readTail(this.table, q, after, limit);
  }

  /**
   * Every record matching the query, newest first, reading only chunks whose time range, level
   * and token filter allow a match, and of those only the blocks whose time range and keys do.
   * `ids` narrows by trace or request id.
   */
  async search(
    q: LogQuery,
    ids: string[] = [],
    now?: number,
    page?: { offset: number; limit: number },
  ): Promise<{ records: LogRecord[]; total: number; stats: SearchStats }> {
    // The services and every retention setting at once (one small query each, side by side).
    const [services, days] = await Promise.all([
      q.services ?? this.services(),
      now === undefined ? undefined : this.retention(),
    ]);
    const cutoffs = new Map<string, number>();
    if (now !== undefined)
      for (const s of services) cutoffs.set(s, now - (days?.[s] ?? DEFAULT_RETENTION_DAYS) * 86_400_000);
    const candidates: ChunkIndex[] = [];
    /** Of format 3 candidates, the blocks that may hold a match. */
    const wantedBlocks = new Map<string, number[]>();
    let skipped = 0;
    // Every service's index at once: one round trip's wait rather than one per service.
    const perService = await Promise.all(
      services.map((service) =>
        this.all({
          pk: `LOGIDX#${service}`,
          sk: { gte: padKey(Math.max(q.start, cutoffs.get(service) ?? q.start)) },
        }),
      ),
    );
    for (const items of perService) {
      const indexes = items.map(adoptChunkIndex);
      // A compacted chunk's maxT is its sources' greatest: when one of them is in range, so is it.
      const replaced = new Set(indexes.flatMap((i) => i.replaces ?? []));
      for (const index of indexes) {
        if (index.minT === undefined || replaced.has(index.id)) continue;
        if (index.minT > q.end) {
          skipped++;
          continue;
        }
        if (q.level && levelRank(index.level) < levelRank(q.level)) {
          skipped++;
          continue;
        }
        let possible: boolean;
        if (index.format === 3 && !index.filter)
          possible = true; // not indexed yet: read whole
        else if (index.format === 2 || index.format === 3) {
          const filter = new ChunkFilter(index.filter as Uint8Array);
          possible = q.text.every((t) => filter.mayContain(t)) && ids.every((id) => filter.mayHaveId(id));
        } else {
          const bloom = new TrigramBloom(index.bloom as Uint8Array);
          possible =
            q.text.every((t) => t.length < 3 || mayContain(bloom, t)) &&
            ids.every((id) => bloom.has(`id:${id.toLowerCase()}`));
        }
        if (possible && index.format === 3 && index.blocks) {
          const blocks = blocksFor(decodeBlockIndex(index.base ?? 0, index.blocks), q);
          possible = blocks.length > 0;
          wantedBlocks.set(index.id, blocks);
        }
        if (!possible) {
          skipped++;
          continue;
        }
        candidates.push(index);
      }
    }
    const found: Array<LogRecord | LineHit> = [];
    const times: number[] = [];
    /** Matches dropped for not being among the newest a page needs (counted in the total). */
    let dropped = 0;
    const keep = page ? page.offset + page.limit : Number.POSITIVE_INFINITY;
    const byId = new Map(candidates.map((c) => [c.id, c]));
    for (let i = 0; i < candidates.length; i += 100) {
      const chunks = await this.table.batchGet(
        candidates.slice(i, i + 100).map((c) => ({ PK: `LOGCHUNK#${c.id}`, SK: 'CHUNK' })),
      );
      for (const chunk of chunks) {
        const index = byId.get(String(chunk.PK).slice('LOGCHUNK#'.length));
        if (!chunk.data || !index) continue;
        const cutoff = cutoffs.get(index.service);
        const from = found.length;
        searchChunk(chunk.data as Uint8Array, index, q, found, times, wantedBlocks.get(index.id));
        if (cutoff !== undefined && index.minT < cutoff) {
          // Records past the service's retention that the TTL sweep has not removed yet.
          let kept = from;
          for (let k = from; k < found.length; k++)
            if (times[k] >= cutoff) {
              found[kept] = found[k];
              times[kept] = times[k];
              kept++;
            }
          found.length = kept;
          times.length = kept;
        }
        if (found.length > 2 * keep + 256) dropped += keepNewest(found, times, keep);
      }
    }
    // Newest first; records with the same time keep the order they were stored in.
    // Only the records asked for are sorted in full and decoded.
    const wanted = page ? newest(times, page.offset + page.limit).slice(page.offset) : newest(times);
    const records = wanted.map((k) => hitRecord(found[k]));
    return {
      records,
      total: found.length + dropped,
      stats: { chunksRead: candidates.length, chunksSkipped: skipped },
    };
  }

  /**
   * Every item a query finds. Most fit one page: those cost one read and no loop (a search
   * makes one such read per service, and each promise counts where async hooks are on).
   */
  private all(query: Parameters<TableStore['query']>[0]): Promise<Item[]> {
    return this.table
      .query({ ...query, cursor: null, limit: 1000 })
      .then((first) => (first.cursor ? this.rest(query, first.items, first.cursor) : first.items));
  }

  private async rest(
    query: Parameters<TableStore['query']>[0],
    items: Item[],
    after: string,
  ): Promise<Item[]> {
    const out = [...items];
    let cursor: string | null = after;
    while (cursor) {
      const page = await this.table.query({ ...query, cursor, limit: 1000 });
      out.push(...page.items);
      cursor = page.cursor;
    }
    return out;
  }
}
