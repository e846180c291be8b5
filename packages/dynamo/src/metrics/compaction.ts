import {
  ByteReader,
  encodeBlock,
  readBlock,
  type SampleValue,
  STALE,
  sampleColumns,
} from '@vigil/core/metrics';
import type { Item } from '@vigil/core/ports';
import { decodeSegment, packEntries, unpackEntries } from './codec';
import {
  GRACE_MS,
  groupOf,
  PACKED,
  type PackedKind,
  packedPk,
  packedSk,
  RAW_RETENTION_MS,
  SAFETY_MS,
  WINDOW_MS,
  windowOf,
} from './layout';
import { RollupStore } from './rollups';
import type { CompactionState, MetricStore } from './store';

/** What one compaction run did. */
export interface CompactionResult {
  /** Windows closed by this run. */
  windows: number;
  /** Segments read (of closed windows, and late ones). */
  segments: number;
  samples: number;
  /** Series-windows written as blocks. */
  blocks: number;
  /** Late segments folded into windows compacted before. */
  late: number;
  /** Groups of series folded (of windows closed by this run or left part-way). */
  groups: number;
  /** True when the run stopped at its deadline with work left for the next run. */
  partial: boolean;
}

/** How long a compaction run may work. */
export interface CompactionOptions {
  /** At most this many windows a run. */
  maxWindows?: number;
  /**
   * When (by `clock`) the run stops starting new work and saves its progress; it always folds
   * at least one group first, so every run moves on.
   */
  deadline?: number;
  clock?: () => number;
  /** Samples one pass over a window's segments holds (a group's are never split). */
  passSamples?: number;
}

/** Samples of one series in a window, by time (later writes win); STALE for a staleness marker. */
type Samples = Map<number, SampleValue>;
/** Uncompressed bytes packed into one item before it is deflated. */
const PACK_TARGET_BYTES = 1_500_000;
const ITEM_MAX_BYTES = 350_000;
/** Raw samples of one series in one block entry; a denser series gets several entries. */
const BLOCK_MAX_SAMPLES = 20_000;
/** Samples one pass over a window's segments holds in memory (a bigger window takes more passes). */
const PASS_SAMPLES = 5_000_000;
/** Late segments folded together before progress is saved. */
const LATE_CHUNK = 50;

/**
 * Closes every window whose end plus grace has passed: folds its segments into packed blocks
 * and rollups (5m, 1h) per group of series, in group order, then folds late segments into the
 * windows they belong to. A run that reaches its deadline saves the window's next group in the
 * state and the next run goes on from there; the window is marked closed once all its groups
 * are folded. Until then readers take the whole window from its segments (which outlive it), so
 * they see each sample in a segment or a block throughout, never in both. Idempotent: a run
 * that dies half-way is redone from the saved state (items are rebuilt whole, last write wins).
 */
export async function compactSegments(
  store: MetricStore,
  rollups: RollupStore,
  now: number,
  {
    maxWindows = 48,
    deadline = Number.POSITIVE_INFINITY,
    clock = Date.now,
    passSamples = PASS_SAMPLES,
  }: CompactionOptions = {},
): Promise<CompactionResult> {
  const result: CompactionResult = {
    windows: 0,
    segments: 0,
    samples: 0,
    blocks: 0,
    late: 0,
    groups: 0,
    partial: false,
  };
  let state = await store.state(true);
  if (!Number.isFinite(state.closedThrough)) return result;
  // Work goes on while there is time, and always for a first group.
  const more = () => result.groups + result.late === 0 || clock() < deadline;
  // The last window whose grace period (and the margin for writes in flight) is over.
  const closable = windowOf(now - GRACE_MS - SAFETY_MS) - WINDOW_MS;
  if (closable >= state.closedThrough) {
    const windows = await store.windowsWithSegments(state.closedThrough, closable);
    for (const w of windows.slice(0, maxWindows)) {
      if (!more()) {
        result.partial = true;
        break;
      }
      const from = state.folding?.window === w ? state.folding.group : 0;
      const next = await foldWindow(store, rollups, w, from, { more, passSamples }, result);
      if (next !== undefined) {
        // Stopped part-way: readers keep the window on its segments until a later run ends it.
        state = { ...state, folding: { window: w, group: next } };
        await store.saveState(state);
        result.partial = true;
        return result;
      }
      result.windows++;
      state = { closedThrough: w + WINDOW_MS, lateThrough: state.lateThrough };
      await store.saveState(state);
    }
    if (windows.length > maxWindows) result.partial = true;
    else if (!result.partial && state.closedThrough <= closable) {
      state = { closedThrough: closable + WINDOW_MS, lateThrough: state.lateThrough };
      await store.saveState(state);
    }
  }
  await foldLate(store, rollups, state, now, more, result);
  return result;
}

/**
 * Folds the groups of a window from `from` on, a pass of groups at a time, until `more` says
 * stop; returns the first group left (undefined when the window is done).
 */
async function foldWindow(
  store: MetricStore,
  rollups: RollupStore,
  window: number,
  from: number,
  { more, passSamples }: { more: () => boolean; passSamples: number },
  result: CompactionResult,
): Promise<number | undefined> {
  const segments = await store.windowSegments(window);
  result.segments += segments.length;
  for (let low = from; ; ) {
    // Groups from `low` up to `high` (lowered while the pass holds too many samples).
    let high = Number.POSITIVE_INFINITY;
    const groups = new Map<number, Map<number, Samples>>();
    const counts = new Map<number, number>();
    let held = 0;
    for (const segment of segments)
      for (const [num, samples] of decodeSegment(segment.data as Uint8Array).series) {
        const group = groupOf(num);
        if (group < low || group >= high) continue;
        const series = nested(nested(groups, group), num);
        for (const [t, v, stale] of samples) series.set(t, stale ?? v);
        counts.set(group, (counts.get(group) ?? 0) + samples.length);
        held += samples.length;
        // Too much for memory: the highest groups wait for a later pass (a fifth of the room is
        // freed at once, so this sort comes seldom).
        if (held > passSamples && groups.size > 1)
          for (const g of [...groups.keys()].sort((a, b) => b - a)) {
            if (held <= passSamples * 0.8 || groups.size === 1) break;
            held -= counts.get(g)!;
            groups.delete(g);
            high = g;
          }
      }
    for (const group of [...groups.keys()].sort((a, b) => a - b)) {
      if (!more()) return group;
      result.blocks += await writeWindow(store, rollups, group, window, groups.get(group)!);
      result.samples += counts.get(group)!;
      result.groups++;
    }
    if (!Number.isFinite(high)) return undefined;
    if (!more()) return high;
    low = high;
  }
}

/** Adds a segment's samples to `into`, under the key `keyOf` gives each (series number, time). */
function collect<K>(
  into: Map<K, Map<number, Samples>>,
  segment: Item,
  result: CompactionResult,
  keyOf: (num: number, t: number) => K,
): void {
  for (const [num, samples] of decodeSegment(segment.data as Uint8Array).series) {
    for (const [t, v, stale] of samples) {
      const target = nested(into, keyOf(num, t));
      nested(target, num).set(t, stale ?? v);
      result.samples++;
    }
  }
}

function nested<K, V>(map: Map<K, Map<number, V>>, key: K): Map<number, V> {
  const inner = map.get(key);
  if (inner) return inner;
  const created = new Map<number, V>();
  map.set(key, created);
  return created;
}

/**
 * Folds late segments (samples that arrived after their window closed) into the packed items of
 * their windows, oldest first, a chunk at a time while `more` allows; stops at one whose windows
 * are not all compacted yet.
 */
async function foldLate(
  store: MetricStore,
  rollups: RollupStore,
  state: CompactionState,
  now: number,
  more: () => boolean,
  result: CompactionResult,
): Promise<void> {
  const late = await store.lateSegments(state.lateThrough, 500);
  const ready = (segment: Item) =>
    Number(String(segment.SK).split('#')[0]) + SAFETY_MS <= now &&
    windowOf(segment.maxT as number) < state.closedThrough;
  let through = state.lateThrough;
  for (let i = 0; i < late.length; i += LATE_CHUNK) {
    if (!more()) {
      result.partial ||= ready(late[i]);
      return;
    }
    const byWindow = new Map<string, Map<number, Samples>>();
    const before = through;
    let blocked = false;
    for (const segment of late.slice(i, i + LATE_CHUNK)) {
      blocked = !ready(segment);
      if (blocked) break;
      collect(byWindow, segment, result, (num, t) => `${groupOf(num)}#${windowOf(t)}`);
      through = String(segment.SK);
      result.late++;
      result.segments++;
    }
    if (through === before) return;
    for (const [key, fresh] of byWindow) {
      const [group, window] = key.split('#').map(Number);
      const series = await withPacked(store, group, window, fresh);
      result.blocks += await writeWindow(store, rollups, group, window, series);
    }
    await store.saveState({ ...state, lateThrough: through });
    if (blocked) return;
  }
}

/** A group's series of a compacted window: what its packed blocks hold, with `fresh` over it. */
async function withPacked(
  store: MetricStore,
  group: number,
  window: number,
  fresh: Map<number, Samples>,
): Promise<Map<number, Samples>> {
  const series = new Map<number, Samples>();
  for (const item of await store.packed('raw', group, window, window)) {
    for (const [num, bytes] of unpackEntries(PACKED.raw.kind, item.data as Uint8Array)) {
      const { ts, vs, stale } = readBlock(new ByteReader(bytes), window);
      const samples = nested(series, num);
      for (let i = 0; i < ts.length; i++) samples.set(ts[i], stale?.[i] ? STALE : vs[i]);
    }
  }
  for (const [num, samples] of fresh) {
    const merged = nested(series, num);
    for (const [t, v] of samples) merged.set(t, v);
  }
  return series;
}

/** Writes a group's packed blocks and rollups of a closed window; returns the blocks written. */
async function writeWindow(
  store: MetricStore,
  rollups: RollupStore,
  group: number,
  window: number,
  series: Map<number, Samples>,
): Promise<number> {
  await store.table.batchPut(windowItems(rollups, group, window, series));
  return series.size;
}

/** The packed items of a group's closed window: raw blocks, 5m and 1h rollups. */
export function windowItems(
  rollups: RollupStore,
  group: number,
  window: number,
  series: Map<number, Samples>,
): Item[] {
  const raw: Array<[number, Uint8Array]> = [];
  const fine: Array<[number, Uint8Array]> = [];
  const hourly: Array<[number, Uint8Array]> = [];
  for (const num of [...series.keys()].sort((a, b) => a - b)) {
    const { ts, vs, stale } = sampleColumns(series.get(num)!);
    for (let i = 0; i < ts.length; i += BLOCK_MAX_SAMPLES) {
      const to = i + BLOCK_MAX_SAMPLES;
      raw.push([num, encodeBlock(ts.slice(i, to), vs.slice(i, to), window, stale?.slice(i, to))]);
    }
    const r = rollups.forWindow(window, ts, vs);
    fine.push([num, r.fine]);
    hourly.push([num, r.hourly]);
  }
  const expires = Math.floor((window + WINDOW_MS + RAW_RETENTION_MS) / 1000);
  return [
    ...packItems('raw', group, window, raw, expires),
    ...packItems('fine', group, window, fine, RollupStore.expiresAt('fine', window)),
    ...packItems('hourly', group, window, hourly, RollupStore.expiresAt('hourly', window)),
  ];
}

/** Packed items of one kind, group and window: as few as fit under the item limit. */
function packItems(
  kind: PackedKind,
  group: number,
  start: number,
  entries: Array<[number, Uint8Array]>,
  expiresAt: number,
): Item[] {
  const parts: Array<Array<[number, Uint8Array]>> = [[]];
  let bytes = 0;
  for (const e of entries) {
    if (bytes + e[1].length > PACK_TARGET_BYTES && parts.at(-1)!.length) {
      parts.push([]);
      bytes = 0;
    }
    parts.at(-1)!.push(e);
    bytes += e[1].length;
  }
  const payloads: Uint8Array[] = [];
  const pack = (part: Array<[number, Uint8Array]>) => {
    const data = packEntries(PACKED[kind].kind, part);
    if (data.byteLength > ITEM_MAX_BYTES && part.length > 1) {
      pack(part.slice(0, part.length >> 1));
      pack(part.slice(part.length >> 1));
    } else payloads.push(data);
  };
  for (const part of parts) if (part.length) pack(part);
  return payloads.map((data, i) => ({ PK: packedPk(kind, group), SK: packedSk(start, i), data, expiresAt }));
}
