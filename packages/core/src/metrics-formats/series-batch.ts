import type { FieldError } from '../errors';
import type { SeriesInput } from '../events';
import { type NormalizedSeries, validateSeries } from '../metrics/series';
import type { Labels } from '../promql/labels';

/** At most this many errors are kept; every rejected sample is still counted. */
export const MAX_BATCH_ERRORS = 100;

/** A checked label set: its series id and labels, or the errors it always gives. */
export interface LabelSet {
  id?: string;
  labels?: Labels;
  /** Errors with fields relative to the entry (`.name`, `.labels.bad-name`). */
  errors: FieldError[];
}

/** The valid series of a request (one per label set) and what was refused. */
export interface BatchResult {
  series: NormalizedSeries[];
  accepted: number;
  rejected: number;
  errors: FieldError[];
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
 * hashed again for every sample.
 */
export class SeriesBatch {
  /** Entries added, as the per-request series limit counts them. */
  entries = 0;
  /** Samples added, valid or not, as the per-request sample limit counts them. */
  samples = 0;
  private accepted = 0;
  private rejected = 0;
  private readonly errors: FieldError[] = [];
  private readonly byId = new Map<string, NormalizedSeries>();

  /** Adds one entry in Vigil's JSON shape, checked field by field. */
  add(input: SeriesInput): void {
    const index = this.entries++;
    const count = Array.isArray(input?.samples) ? input.samples.length : 0;
    this.samples += count;
    const { series, errors } = validateSeries(input, index);
    if (!series) {
      this.reject(Math.max(1, count), errors);
      return;
    }
    this.accepted += series.samples.length;
    const existing = this.byId.get(series.id);
    if (existing) {
      for (const sample of series.samples) existing.samples.push(sample);
    } else this.byId.set(series.id, series);
  }

  /** Adds an entry of one sample of a described label set; same outcome as `add` would give. */
  addSample(set: LabelSet, t: number, v: number): void {
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
    const existing = this.byId.get(set.id);
    if (existing) existing.samples.push([t, v]);
    else this.byId.set(set.id, { id: set.id, labels: set.labels as Labels, samples: [[t, v]] });
  }

  /** The merged valid series (in the order first seen), counts and the first errors. */
  result(): BatchResult {
    return {
      series: [...this.byId.values()],
      accepted: this.accepted,
      rejected: this.rejected,
      errors: this.errors,
    };
  }

  private reject(samples: number, errors: FieldError[]): void {
    this.rejected += samples;
    for (const e of errors) {
      if (this.errors.length >= MAX_BATCH_ERRORS) break;
      this.errors.push(e);
    }
  }
}
