import type { FieldError } from '../errors';
import type { SeriesInput } from '../events';
import { checkSamples, type NormalizedSeries, type SeriesMemo, validateSeries } from '../metrics/series';
import { type Sample, STALE, STALE_NAN } from '../metrics/stale';
import type { Labels } from '../promql/labels';

/** At most this many errors are kept; every rejected sample is still counted. */
export const MAX_BATCH_ERRORS = 100;

/** A checked label set: its series id and labels, or the errors it always gives. */
export interface LabelSet extends SeriesMemo {
  id?: string;
  labels?: Labels;
  /** Errors with fields relative to the entry (`.name`, `.labels.bad-name`). */
  errors: FieldError[];
  /** The slot of its id, and the generation of slots it was taken from. */
  slot?: Slot;
  generation?: number;
}

/** The valid series of a request (one per label set) and what was refused. */
export interface BatchResult {
  series: NormalizedSeries[];
  accepted: number;
  rejected: number;
  errors: FieldError[];
}

/**
 * Where a series id's samples are in the batch being filled: the batch's serial number and the
 * series' position. Samples are merged by id through it without a map per request, and the
 * slot holds numbers only, so long-lived slots never point at a request's objects.
 */
interface Slot {
  batch: number;
  index: number;
}
const slots = new Map<string, Slot>();
const SLOTS = 200_000;
/** Counts how often `slots` was emptied: a slot of an older generation is looked up again. */
let generation = 0;
let serials = 0;

/** Forgets every slot, as happens when there are too many; exported for tests. */
export function emptySeriesSlots(): void {
  slots.clear();
  generation++;
}

function slotOf(id: string): Slot {
  let slot = slots.get(id);
  if (slot === undefined) {
    if (slots.size >= SLOTS) emptySeriesSlots();
    slot = { batch: 0, index: 0 };
    slots.set(id, slot);
  }
  return slot;
}

/** Label sets of entries in Vigil's JSON shape, by name and labels in order; emptied when full. */
const labelSets = new Map<string, LabelSet>();
const LABEL_SETS = 100_000;

/**
 * The checked label set of an entry, or undefined when its name or a label value is not a
 * string (such entries are checked in full). The key length-prefixes every part.
 */
function labelSetOf(input: SeriesInput): LabelSet | undefined {
  const name = input?.name;
  if (typeof name !== 'string') return undefined;
  const labels = input.labels ?? {};
  if (typeof labels !== 'object' || Array.isArray(labels)) return undefined;
  let key = `${name.length}:${name}`;
  for (const k of Object.keys(labels)) {
    const v = labels[k];
    if (typeof v !== 'string') return undefined;
    key += `${k.length}:${k}${v.length}:${v}`;
  }
  let set = labelSets.get(key);
  if (set === undefined) {
    if (labelSets.size >= LABEL_SETS) labelSets.clear();
    set = describeLabelSet(name, labels);
    labelSets.set(key, set);
  }
  return set;
}

/**
 * Checks a label set by `validateSeries` rules, once: formats that send one sample per entry
 * (OTLP) keep the result under a key of their own and add each sample with `addSample`.
 */
export function describeLabelSet(name: string, labels: Record<string, string>): LabelSet {
  const at = 'series.0';
  const { series, errors } = validateSeries({ name, labels, samples: [[0, 0]] }, 0);
  return series
    ? { id: series.id, labels: series.labels, errors: [] }
    : { errors: errors.map((e) => ({ field: e.field.slice(at.length), message: e.message })) };
}

/**
 * The series entries of one ingest request, validated by `validateSeries` rules and merged by
 * label set. Entries are numbered in the order they are added, and errors name them
 * (`series.3.labels.bad-name`). Formats that send one sample per entry (OTLP) add samples of
 * label sets described by `describeLabelSet`, so a label set is not validated, sorted and
 * hashed again for every sample. A batch is filled without awaiting anything in between.
 */
export class SeriesBatch {
  /** Entries added, as the per-request series limit counts them. */
  entries = 0;
  /** Samples added, valid or not, as the per-request sample limit counts them. */
  samples = 0;
  private accepted = 0;
  private rejected = 0;
  private readonly errors: FieldError[] = [];
  private readonly series: NormalizedSeries[] = [];
  private readonly serial = ++serials;
  private pending = 0;
  private readonly pendingSets: LabelSet[] = [];
  private pendingTimes: Float64Array = new Float64Array(256);
  private pendingValues: Float64Array = new Float64Array(256);
  /** 1 for the pending samples that are staleness markers; made for the first one. */
  private pendingStale?: Uint8Array;
  private readonly generation = generation;

  /** Adds one entry in Vigil's JSON shape, checked field by field. */
  add(input: SeriesInput): void {
    this.flush();
    const index = this.entries++;
    const count = Array.isArray(input?.samples) ? input.samples.length : 0;
    this.samples += count;
    const set = labelSetOf(input);
    if (set === undefined) {
      this.addChecked(input, index, count);
      return;
    }
    // The samples are checked here as validateSeries checks them; the label set was checked once.
    const at = `series.${index}`;
    const errors: FieldError[] = [];
    const samples = checkSamples(input.samples, at, errors);
    if (set.id === undefined || errors.length) {
      const labelErrors = set.errors.map((e) => ({ field: `${at}${e.field}`, message: e.message }));
      this.reject(Math.max(1, count), [...labelErrors, ...errors]);
      return;
    }
    this.accepted += samples.length;
    this.merge(this.slotFor(set), set, samples);
  }

  /** Adds an entry whose name or labels are not plain strings: checked in full each time. */
  private addChecked(input: SeriesInput, index: number, count: number): void {
    const { series, errors } = validateSeries(input, index);
    if (!series) {
      this.reject(Math.max(1, count), errors);
      return;
    }
    this.accepted += series.samples.length;
    const slot = slotOf(series.id);
    if (slot.batch === this.serial) {
      const existing = this.series[slot.index];
      for (const sample of series.samples) existing.samples.push(sample);
    } else this.place(slot, series);
  }

  /**
   * Adds an entry of one sample of a described label set; same outcome as `add` would give.
   * `stale` makes it a staleness marker (the value is then ignored).
   */
  addSample(set: LabelSet, t: number, v: number, stale = false): void {
    const index = this.entries++;
    this.samples++;
    const badTime = !Number.isInteger(t) || t < 0 || t > 8.64e15;
    if (set.id === undefined || badTime) {
      const errors = set.errors.map((e) => ({ field: `series.${index}${e.field}`, message: e.message }));
      if (badTime)
        errors.push({
          field: `series.${index}.samples.0.0`,
          message: 'timestamp must be integer milliseconds since the epoch',
        });
      this.reject(1, errors);
      return;
    }
    this.accepted++;
    // Kept in flat arrays until the batch is read: while a format walks its parsed body, every
    // object made here could make the garbage collector copy that whole body.
    const n = this.pending++;
    if (n === this.pendingTimes.length) {
      this.pendingTimes = grown(this.pendingTimes);
      this.pendingValues = grown(this.pendingValues);
      if (this.pendingStale) this.pendingStale = grown(this.pendingStale);
    }
    this.pendingSets[n] = set;
    this.pendingTimes[n] = t;
    this.pendingValues[n] = v;
    if (stale) {
      this.pendingStale ??= new Uint8Array(this.pendingTimes.length);
      this.pendingStale[n] = 1;
    }
  }

  /** Merges the samples `addSample` kept into the batch's series, in the order they came. */
  private flush(): void {
    for (let i = 0; i < this.pending; i++) {
      const set = this.pendingSets[i];
      const sample: Sample = this.pendingStale?.[i]
        ? [this.pendingTimes[i], STALE_NAN, STALE]
        : [this.pendingTimes[i], this.pendingValues[i]];
      const slot = this.slotFor(set);
      if (slot.batch === this.serial) this.series[slot.index].samples.push(sample);
      else
        this.place(slot, {
          id: set.id as string,
          labels: set.labels as Labels,
          samples: [sample],
          memo: set,
        });
    }
    this.pending = 0;
    this.pendingStale = undefined;
    this.pendingSets.length = 0;
  }

  /** The merged valid series (in the order first seen), counts and the first errors. */
  result(): BatchResult {
    this.flush();
    return {
      series: this.generation === generation ? this.series : mergeById(this.series),
      accepted: this.accepted,
      rejected: this.rejected,
      errors: this.errors,
    };
  }

  /** The slot of a valid label set's id, looked up again if the slots were emptied since. */
  private slotFor(set: LabelSet): Slot {
    if (set.generation !== generation) {
      set.slot = slotOf(set.id as string);
      set.generation = generation;
    }
    return set.slot as Slot;
  }

  private merge(slot: Slot, set: LabelSet, samples: Sample[]): void {
    if (slot.batch === this.serial) {
      const existing = this.series[slot.index].samples;
      for (const sample of samples) existing.push(sample);
    } else this.place(slot, { id: set.id as string, labels: set.labels as Labels, samples, memo: set });
  }

  private place(slot: Slot, series: NormalizedSeries): void {
    slot.batch = this.serial;
    slot.index = this.series.length;
    this.series.push(series);
  }

  private reject(samples: number, errors: FieldError[]): void {
    this.rejected += samples;
    for (const e of errors) {
      if (this.errors.length >= MAX_BATCH_ERRORS) break;
      this.errors.push(e);
    }
  }
}

function grown<T extends Float64Array | Uint8Array>(values: T): T {
  const next = new (values.constructor as new (n: number) => T)(values.length * 2);
  next.set(values);
  return next;
}

/** Merges entries of the same id, for the rare batch during which the slots were emptied. */
function mergeById(series: NormalizedSeries[]): NormalizedSeries[] {
  const byId = new Map<string, NormalizedSeries>();
  for (const s of series) {
    const existing = byId.get(s.id);
    if (existing) byId.set(s.id, { ...existing, samples: [...existing.samples, ...s.samples] });
    else byId.set(s.id, s);
  }
  return [...byId.values()];
}
