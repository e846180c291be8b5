import { ValidationError } from './errors';

/** The only source of time in Vigil: decision code takes `now`, adapters take a Clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** A clock that always answers the same instant; tests move it by hand. */
export class FixedClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

const UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
} as const;
const DURATION = /^((\d+)(ms|[smhdwy]))+$/;
const PART = /(\d+)(ms|[smhdwy])/g;

/**
 * Parses a Prometheus duration (`30s`, `5m`, `1h30m`, `2d`) into milliseconds.
 * @throws ValidationError naming `field` when the text is not a duration.
 */
export function parseDuration(text: string, field = 'duration'): number {
  if (!DURATION.test(text)) {
    throw new ValidationError(`'${text}' is not a duration such as 30s, 5m or 1h30m`, [
      { field, message: 'expected a duration such as 30s, 5m or 1h30m' },
    ]);
  }
  let total = 0;
  for (const [, n, unit] of text.matchAll(PART)) total += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total;
}

/** Formats milliseconds as the shortest Prometheus duration (`90000` → `1m30s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
