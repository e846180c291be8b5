import type { LabelMatcher } from './ast';

/** A series' labels, metric name under `__name__`. */
export type Labels = Record<string, string>;

/** Canonical text of a label set: stable for equality and grouping. */
export function labelsKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0001${labels[k]}`)
    .join('\u0002');
}

export function dropName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  const { __name__: _, ...rest } = labels;
  return rest;
}

/** Keeps (`on`) or drops (`!on`) the listed labels. */
export function pick(labels: Labels, names: string[], on: boolean): Labels {
  const set = new Set(names);
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) if (set.has(k) === on) out[k] = v;
  return out;
}

const regexCache = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 's');
    regexCache.set(pattern, re);
  }
  return re;
}

/** Whether a label value satisfies a matcher (absent labels are the empty string). */
export function matches(matcher: LabelMatcher, value: string | undefined): boolean {
  const v = value ?? '';
  switch (matcher.type) {
    case '=':
      return v === matcher.value;
    case '!=':
      return v !== matcher.value;
    case '=~':
      return anchored(matcher.value).test(v);
    case '!~':
      return !anchored(matcher.value).test(v);
  }
}

export function matchesAll(matchers: LabelMatcher[], labels: Labels): boolean {
  return matchers.every((m) => matches(m, labels[m.name]));
}
