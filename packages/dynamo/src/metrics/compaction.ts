import { decodeSegment } from './codec';
import type { RollupStore } from './rollups';
import { BLOCK_MS, type MetricStore } from './store';

/** What one compaction run did. */
export interface CompactionResult {
  segments: number;
  samples: number;
  blocks: number;
}

/**
 * Folds pending segments into per-series 2-hour Gorilla blocks and their rollups, then deletes
 * the segments. Idempotent: a run that dies half-way is simply redone (blocks merge by time,
 * last write wins), and readers see each sample in a segment or a block throughout.
 */
export async function compactSegments(
  store: MetricStore,
  rollups: RollupStore,
  maxSegments = 500,
): Promise<CompactionResult> {
  const segments = await store.pendingSegments(maxSegments);
  if (!segments.length) return { segments: 0, samples: 0, blocks: 0 };
  // series id → block start → ms → value; segments are oldest first, so later writes win.
  const pending = new Map<string, Map<number, Map<number, number>>>();
  let samples = 0;
  for (const segment of segments) {
    for (const [id, points] of decodeSegment(segment.data as Uint8Array).series) {
      let blocks = pending.get(id);
      if (!blocks) {
        blocks = new Map();
        pending.set(id, blocks);
      }
      for (const [t, v] of points) {
        const start = Math.floor(t / BLOCK_MS) * BLOCK_MS;
        let block = blocks.get(start);
        if (!block) {
          block = new Map();
          blocks.set(start, block);
        }
        block.set(t, v);
        samples++;
      }
    }
  }
  let blockCount = 0;
  const work: Array<() => Promise<void>> = [];
  for (const [id, blocks] of pending) {
    for (const [start, points] of blocks) {
      work.push(async () => {
        const merged = await store.mergeIntoBlock(id, start, points);
        let first = Number.POSITIVE_INFINITY;
        let last = Number.NEGATIVE_INFINITY;
        for (const t of points.keys()) {
          first = Math.min(first, t);
          last = Math.max(last, t);
        }
        await rollups.updateFromBlock(id, merged.ts, merged.vs, [first, last]);
        blockCount++;
      });
    }
  }
  // A few blocks at a time: enough to overlap round trips without flooding the table.
  for (let i = 0; i < work.length; i += 16) await Promise.all(work.slice(i, i + 16).map((w) => w()));
  await store.deleteSegments(segments.map((s) => ({ PK: String(s.PK), SK: String(s.SK) })));
  return { segments: segments.length, samples, blocks: blockCount };
}
