import { PromQLSyntaxError } from './errors';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 3.6e6,
  d: 8.64e7,
  w: 6.048e8,
  y: 3.1536e10,
};

/** Parses a PromQL duration such as `5m` or `1h30m` into ms. */
export function parsePromDuration(text: string, pos = 0): number {
  let total = 0;
  let rest = text;
  while (rest.length) {
    const m = /^(\d+)(ms|[smhdwy])/.exec(rest);
    if (!m) throw new PromQLSyntaxError(`bad duration '${text}'`, pos);
    total += Number(m[1]) * UNITS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}
