import { randomUUID } from 'node:crypto';
import { decodeGorilla, encodeGorilla, type NormalizedSeries } from '@vigil/core/metrics';
import type { Item, TableStore } from '@vigil/core/ports';
import { type LabelMatcher, type Labels, matchesAll, type RawSeries } from '@vigil/core/promql';
import { decodeSegment, encodeSegment } from './codec';

/** Segments are spread over a few partitions so ingest never hammers one. */
export const SEGMENT_SHARDS = 4;
/** One compressed block per series per 2 hours, as Gorilla and Prometheus's head do. */
export const BLOCK_MS = 2 * 3_600_000;
/** Raw samples are kept 15 days. */
export const RAW_RETENTION_MS = 15 * 86_400_000;
const SEGMENT_TARGET_BYTES = 300_000;
/** No segment item's payload exceeds this (DynamoDB's item limit is 400 KB). */
export const SEGMENT_MAX_BYTES = 340_000;

const pad = (n: number) => String(n).padStart(15, '0');
export const segmentPk = (shard: number) => `SEG#${shard}`;
export const blockKey = (id: string, start: number) => ({ PK: `BLK#${id}`, SK: pad(start) });

/**
 * Segment items of a batch, each encoded under the item limit: a batch whose encoding is too
 * large is halved (by series, or by samples for a single huge series) until every part fits.
 */
function segmentItems(batch: NormalizedSeries[], shard: number, now: number): Item[] {
  let minT = Number.POSITIVE_INFINITY;
  let maxT = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (const s of batch)
    for (const [t] of s.samples) {
      minT = Math.min(minT, t);
      maxT = Math.max(maxT, t);
      n++;
    }
  const data = encodeSegment({ series: batch.map((s) => [s.id, s.samples]) });
  if (data.byteLength > SEGMENT_MAX_BYTES && n > 1) {
    const halves: NormalizedSeries[][] =
      batch.length > 1
        ? [batch.slice(0, batch.length >> 1), batch.slice(batch.length >> 1)]
        : [
            [{ ...batch[0], samples: batch[0].samples.slice(0, n >> 1) }],
            [{ ...batch[0], samples: batch[0].samples.slice(n >> 1) }],
          ];
    return halves.flatMap((h) => segmentItems(h, shard, now));
  }
  return [{ PK: segmentPk(shard), SK: `${pad(now)}#${randomUUID()}`, minT, maxT, n, data }];
}

/**
 * The metrics table: segments written by ingest, per-series Gorilla blocks and the series index.
 * A sample is readable as soon as its segment is written; compaction folds segments into blocks.
 */
export class MetricStore {
  /** Series already in the index, so ingest writes each index row once per process. */
  private readonly indexed = new Set<string>();

  constructor(readonly table: TableStore) {}

  /** Writes validated series as a few compressed segments, indexing new series. */
  async write(series: NormalizedSeries[], now: number): Promise<number> {
    await this.index(series, now);
    const shard = Math.floor(Math.random() * SEGMENT_SHARDS);
    const batches: NormalizedSeries[][] = [[]];
    let bytes = 0;
    for (const s of series) {
      const size = 40 + s.samples.length * 12;
      if (bytes + size > SEGMENT_TARGET_BYTES && batches.at(-1)!.length) {
        batches.push([]);
        bytes = 0;
      }
      batches.at(-1)!.push(s);
      bytes += size;
    }
    const items: Item[] = [];
    for (const batch of batches) {
      if (batch.length) items.push(...segmentItems(batch, shard, now));
    }
    await this.table.batchPut(items);
    return items.length;
  }

  private async index(series: NormalizedSeries[], now: number): Promise<void> {
    const items = new Map<string, Item>();
    for (const s of series) {
      if (this.indexed.has(s.id)) continue;
      const name = s.labels.__name__;
      items.set(`S${s.id}`, { PK: `SERIES#${name}`, SK: s.id, labels: s.labels, firstSeen: now });
      items.set(`M${name}`, { PK: 'METRICS', SK: name });
      for (const [k, v] of Object.entries(s.labels)) {
        items.set(`L${k}`, { PK: 'LABELS', SK: k });
        items.set(`V${k}\u0000${v}`, { PK: `LABEL#${k}`, SK: v });
      }
    }
    if (items.size) await this.table.batchPut([...items.values()]);
    for (const s of series) this.indexed.add(s.id);
  }

  /** Metric names in the index. */
  async metricNames(): Promise<string[]> {
    return (await this.all({ pk: 'METRICS' })).map((i) => String(i.SK));
  }

  async labelNames(): Promise<string[]> {
    return (await this.all({ pk: 'LABELS' })).map((i) => String(i.SK));
  }

  async labelValues(name: string): Promise<string[]> {
    return (await this.all({ pk: `LABEL#${name}` })).map((i) => String(i.SK));
  }

  /** Series (id and labels) whose labels satisfy every matcher. */
  async findSeries(matchers: LabelMatcher[]): Promise<Array<{ id: string; labels: Labels }>> {
    const nameEq = matchers.find((m) => m.name === '__name__' && m.type === '=');
    const names = nameEq
      ? [nameEq.value]
      : (await this.metricNames()).filter((n) =>
          matchesAll(
            matchers.filter((m) => m.name === '__name__'),
            { __name__: n },
          ),
        );
    const out: Array<{ id: string; labels: Labels }> = [];
    for (const name of names) {
      for (const item of await this.all({ pk: `SERIES#${name}` })) {
        const labels = item.labels as Labels;
        if (matchesAll(matchers, labels)) out.push({ id: String(item.SK), labels });
      }
    }
    return out;
  }

  /** Samples of every matching series in [start, end]: blocks, then newer segments over them. */
  async select(matchers: LabelMatcher[], start: number, end: number): Promise<RawSeries[]> {
    const found = await this.findSeries(matchers);
    if (!found.length) return [];
    const wanted = new Map(found.map((s) => [s.id, new Map<number, number>()]));
    await Promise.all(
      found.map(async (s) => {
        const blocks = await this.all({
          pk: `BLK#${s.id}`,
          sk: { between: [pad(Math.floor(start / BLOCK_MS) * BLOCK_MS), pad(end)] },
        });
        const merged = wanted.get(s.id)!;
        for (const block of blocks) {
          const { ts, vs } = decodeGorilla(block.data as Uint8Array);
          for (let i = 0; i < ts.length; i++) if (ts[i] >= start && ts[i] <= end) merged.set(ts[i], vs[i]);
        }
      }),
    );
    for (const segment of await this.pendingSegments()) {
      if ((segment.maxT as number) < start || (segment.minT as number) > end) continue;
      for (const [id, samples] of decodeSegment(segment.data as Uint8Array).series) {
        const merged = wanted.get(id);
        if (!merged) continue;
        for (const [t, v] of samples) if (t >= start && t <= end) merged.set(t, v);
      }
    }
    const out: RawSeries[] = [];
    for (const s of found) {
      const merged = wanted.get(s.id)!;
      if (!merged.size) continue;
      const ts = [...merged.keys()].sort((a, b) => a - b);
      out.push({ labels: s.labels, ts, vs: ts.map((t) => merged.get(t)!) });
    }
    return out;
  }

  /** Every segment not yet compacted, oldest first (segments sort by arrival time). */
  async pendingSegments(limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const shards = await Promise.all(
      Array.from({ length: SEGMENT_SHARDS }, (_, s) => this.all({ pk: segmentPk(s) }, limit)),
    );
    return shards
      .flat()
      .sort((a, b) => String(a.SK).localeCompare(String(b.SK)))
      .slice(0, limit);
  }

  /** Reads a series' block, merges samples into it (new ones win) and writes it back. */
  async mergeIntoBlock(
    id: string,
    blockStart: number,
    samples: Map<number, number>,
  ): Promise<{ ts: number[]; vs: number[] }> {
    const key = blockKey(id, blockStart);
    const existing = await this.table.get(key);
    const merged = new Map<number, number>();
    if (existing) {
      const { ts, vs } = decodeGorilla(existing.data as Uint8Array);
      for (let i = 0; i < ts.length; i++) merged.set(ts[i], vs[i]);
    }
    for (const [t, v] of samples) merged.set(t, v);
    const ts = [...merged.keys()].sort((a, b) => a - b);
    const vs = ts.map((t) => merged.get(t)!);
    await this.table.put({
      ...key,
      data: encodeGorilla(ts, vs),
      n: ts.length,
      expiresAt: Math.floor((blockStart + BLOCK_MS + RAW_RETENTION_MS) / 1000),
    });
    return { ts, vs };
  }

  async deleteSegments(keys: Array<{ PK: string; SK: string }>): Promise<void> {
    await this.table.batchDelete(keys);
  }

  private async all(
    query: Parameters<TableStore['query']>[0],
    limit = Number.POSITIVE_INFINITY,
  ): Promise<Item[]> {
    const out: Item[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.table.query({ ...query, cursor, limit: Math.min(1000, limit - out.length) });
      out.push(...page.items);
      cursor = page.cursor;
    } while (cursor && out.length < limit);
    return out;
  }
}
