import type { FieldError } from '../errors';
import type { SeriesInput } from '../events';
import { type Labels, labelsKey } from '../promql/labels';
import { type Sample, STALE, STALE_NAN } from './stale';

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Ingest limits; each is named in the error a client gets when it is exceeded. */
export const LIMITS = {
  seriesPerRequest: 10_000,
  samplesPerRequest: 500_000,
  labelsPerSeries: 40,
  labelValueLength: 2_048,
  labelNameLength: 256,
} as const;

/** A validated series: its labels include `__name__`, its id is stable for the label set. */
export interface NormalizedSeries {
  id: string;
  labels: Labels;
  samples: Sample[];
  /** A long-lived object of the label set where a store may remember its number for the series. */
  memo?: SeriesMemo;
}

/** What a metric store remembers of a label set: the store (a token) and the series' number in it. */
export interface SeriesMemo {
  store?: number;
  num?: number;
}

/** 53-bit string hash (cyrb53): stable ids without a crypto dependency. */
export function hash53(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36).padStart(11, '0');
}

/** Ids of recently seen label sets: a live system sends the same series again and again. */
const idCache = new Map<string, string>();
const ID_CACHE_SIZE = 200_000;

/** The id of a label set (metric name included). */
export function seriesId(labels: Labels): string {
  const key = labelsKey(labels);
  let id = idCache.get(key);
  if (id === undefined) {
    id = hash53(key) + hash53(key, 7).slice(0, 5);
    if (idCache.size >= ID_CACHE_SIZE) idCache.clear();
    idCache.set(key, id);
  }
  return id;
}

/** Label names already checked valid, so each is tested against the pattern once. */
const validLabelNames = new Set<string>();
function validLabelName(name: string): boolean {
  if (validLabelNames.has(name)) return true;
  const ok = LABEL_NAME.test(name) && !name.startsWith('__') && name.length <= LIMITS.labelNameLength;
  if (ok && validLabelNames.size < 10_000) validLabelNames.add(name);
  return ok;
}

/**
 * Checks one series by Prometheus's naming rules and Vigil's limits. Returns the normalised
 * series, or the errors naming the wrong field (`series.3.labels.bad-name`).
 */
export function validateSeries(
  input: SeriesInput,
  index: number,
): { series?: NormalizedSeries; errors: FieldError[] } {
  const at = `series.${index}`;
  const errors: FieldError[] = [];
  if (typeof input?.name !== 'string' || !METRIC_NAME.test(input.name)) {
    errors.push({
      field: `${at}.name`,
      message: `invalid metric name ${JSON.stringify(input?.name)}: must match ${METRIC_NAME.source}`,
    });
  }
  const labels: Labels = { __name__: input?.name };
  const given = input?.labels ?? {};
  if (typeof given !== 'object' || Array.isArray(given))
    errors.push({ field: `${at}.labels`, message: 'labels must be an object of strings' });
  else {
    const entries = Object.entries(given);
    if (entries.length > LIMITS.labelsPerSeries)
      errors.push({ field: `${at}.labels`, message: `more than ${LIMITS.labelsPerSeries} labels` });
    for (const [name, value] of entries) {
      if (validLabelName(name)) {
        // checked before
      } else if (!LABEL_NAME.test(name) || name.startsWith('__'))
        errors.push({
          field: `${at}.labels.${name}`,
          message: `invalid label name: must match ${LABEL_NAME.source} and not start with __`,
        });
      else if (name.length > LIMITS.labelNameLength)
        errors.push({
          field: `${at}.labels.${name}`,
          message: `label name longer than ${LIMITS.labelNameLength}`,
        });
      if (typeof value !== 'string')
        errors.push({ field: `${at}.labels.${name}`, message: 'label values must be strings' });
      else if (value.length > LIMITS.labelValueLength)
        errors.push({
          field: `${at}.labels.${name}`,
          message: `label value longer than ${LIMITS.labelValueLength} characters`,
        });
      else if (value !== '') labels[name] = value;
    }
  }
  const samples = checkSamples(input?.samples, at, errors);
  if (errors.length) return { errors };
  return { series: { id: seriesId(labels), labels, samples }, errors };
}

/**
 * Checks the `[ms, value]` pairs of series `at`, adding an error naming each bad one, and
 * returns the good ones (values may be "NaN", "+Inf" or "-Inf" strings).
 */
export function checkSamples(input: unknown, at: string, errors: FieldError[]): Sample[] {
  const samples: Sample[] = [];
  if (!Array.isArray(input) || input.length === 0) {
    errors.push({ field: `${at}.samples`, message: 'samples must be a non-empty array of [ms, value]' });
    return samples;
  }
  input.forEach((sample: unknown, j) => {
    const t = (Array.isArray(sample) ? sample[0] : undefined) as number;
    const raw: unknown = Array.isArray(sample) ? sample[1] : undefined;
    const v = typeof raw === 'string' ? parseSampleValue(raw) : raw;
    if (!Number.isInteger(t) || t < 0 || t > 8.64e15)
      errors.push({
        field: `${at}.samples.${j}.0`,
        message: 'timestamp must be integer milliseconds since the epoch',
      });
    else if (typeof v !== 'number')
      errors.push({
        field: `${at}.samples.${j}.1`,
        message: 'value must be a number (or "NaN", "+Inf", "-Inf")',
      });
    else if ((sample as Sample)[2] === STALE) samples.push([t, STALE_NAN, STALE]);
    else samples.push([t, v]);
  });
  return samples;
}

/** Parses a textual sample value: a float, NaN, +Inf or -Inf. */
export function parseSampleValue(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?inf(inity)?$/i.test(t))
    return t.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(t)) return Number.NaN;
  if (t === '' || (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?0x[0-9a-f]+$/i.test(t)))
    return undefined;
  return Number(t);
}
