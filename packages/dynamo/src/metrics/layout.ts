/**
 * Where metric data lives in the metrics table, and for how long.
 *
 * - Ingest writes each call's samples as a few segment items, keyed by the 2-hour window the
 *   samples fall in (`SEG#<window>#<shard>`), or — for samples of a window that had already
 *   closed when they arrived — into `SEG#LATE`.
 * - Once a window has closed (its end plus a grace period for late senders), `compact-metrics`
 *   folds its segments into packed items per group of 64 series: the raw blocks (`MB#<group>`),
 *   the 5m rollups (`MR5#<group>`, 15m ones are merged from them) and the 1h rollups
 *   (`MRH#<group>`, and 1d from them), each with its own retention. Segments are never rewritten or deleted: they
 *   expire by TTL (free), and readers know from the compaction state which to read. A window with
 *   more series than one run can fold is folded group by group over several runs (the state keeps
 *   the next group); readers keep reading its segments until the last group is folded.
 * - A marker per window with segments (`SEGWIN`) tells readers and compaction which to look at.
 * - Series are numbered on first sight, so segments and packed items name them in a byte or two.
 */
export const WINDOW_MS = 2 * 3_600_000;
/** How long after its end a window still takes samples into its segments. */
export const GRACE_MS = 10 * 60_000;
/** Compaction waits this much longer than ingest, so a write in flight is never missed. */
export const SAFETY_MS = 2 * 60_000;
export const DAY_MS = 86_400_000;
/** Raw samples are kept 15 days. */
export const RAW_RETENTION_MS = 15 * DAY_MS;
/** Segments outlive their window by this much, so a compaction that was down can catch up. */
export const SEGMENT_RETENTION_MS = 3 * DAY_MS;
/** Series per packed item group. */
export const GROUP_SIZE = 64;
export const SEGMENT_SHARDS = 4;

export const pad = (n: number) => String(n).padStart(15, '0');
export const windowOf = (t: number) => Math.floor(t / WINDOW_MS) * WINDOW_MS;
export const dayOf = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
export const groupOf = (num: number) => Math.floor(num / GROUP_SIZE);
export const segmentPk = (window: number, shard: number) => `SEG#${pad(window)}#${shard}`;
export const LATE_PK = 'SEG#LATE';
/** One marker item per window that has segments, written before its first segment. */
export const windowMarker = (window: number) => ({ PK: 'SEGWIN', SK: pad(window) });
export const STATE_KEY = { PK: 'COMPACTION', SK: 'STATE' };
export const COUNTER_KEY = { PK: 'SERIESNUM', SK: 'NEXT' };

/** Packed item kinds: partition prefix and the byte that starts their payload. */
export const PACKED = {
  raw: { prefix: 'MB', kind: 1 },
  fine: { prefix: 'MR5', kind: 2 },
  hourly: { prefix: 'MRH', kind: 3 },
} as const;
export type PackedKind = keyof typeof PACKED;
export const packedPk = (kind: PackedKind, group: number) => `${PACKED[kind].prefix}#${group}`;
export const packedSk = (start: number, part: number) => `${pad(start)}#${part}`;
/** SK bounds of every part of the items starting in [from, to]. */
export const packedRange = (from: number, to: number): [string, string] => [`${pad(from)}#`, `${pad(to)}#~`];
