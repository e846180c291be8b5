import { parseDuration, ValidationError } from '@vigil/core';
import { type LabelMatcher, parsePromQL, type VectorSelector } from '@vigil/core/promql';

/** A Prometheus API time: RFC 3339 or Unix seconds (fractions allowed), in ms. */
export function parseTime(text: string | null | undefined, field: string, fallback?: number): number {
  if (text === null || text === undefined || text === '') {
    if (fallback !== undefined) return fallback;
    throw new ValidationError(`missing ${field}`, [{ field, message: 'required' }]);
  }
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  const ms = Date.parse(text);
  if (Number.isFinite(ms)) return ms;
  throw new ValidationError(`invalid parameter "${field}": cannot parse "${text}" to a valid timestamp`, [
    { field, message: 'RFC 3339 or Unix seconds' },
  ]);
}

/** A step: a float of seconds or a duration such as 15s. */
export function parseStep(text: string | null, field = 'step'): number {
  if (!text) throw new ValidationError(`missing ${field}`, [{ field, message: 'required' }]);
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  return parseDuration(text, field);
}

/** `match[]` selectors as matcher lists. */
export function parseMatch(values: string[]): LabelMatcher[][] {
  return values.map((text) => {
    const expr = parsePromQL(text);
    if (expr.kind !== 'vector')
      throw new ValidationError(`match[] must be a series selector, got ${text}`, [
        { field: 'match[]', message: 'a selector such as up{job="api"}' },
      ]);
    return (expr as VectorSelector).matchers;
  });
}
