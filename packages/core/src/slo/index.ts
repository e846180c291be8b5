/**
 * Service level objectives: error budgets and burn rates (Google SRE workbook, ch. 5).
 * Pure arithmetic over good/total counts; callers measure, this decides.
 */
export interface Slo {
  id: string;
  name: string;
  service: string;
  kind: 'availability' | 'latency' | 'error-rate';
  /** PromQL giving the good events over `[$window]` (the window is substituted). */
  good: string;
  /** PromQL giving all events over `[$window]`. */
  total: string;
  /** e.g. 0.995 */
  target: number;
  windowDays: 7 | 28 | 30;
  description: string;
  version: number;
}

export type SloState = 'met' | 'at_risk' | 'breached' | 'no_data';

export interface SloStatus {
  state: SloState;
  sli: number | null;
  /** Fraction of the window's error budget left (1 = untouched, ≤ 0 = spent). */
  budgetRemaining: number | null;
  /** How fast the budget burns over the last hour (1 = exactly on budget). */
  burnRate: number | null;
  /** Hours until the budget is gone at the current burn, or null. */
  hoursToExhaustion: number | null;
}

/** The fraction of good events; null without events. */
export function sli(good: number, total: number): number | null {
  return total > 0 ? Math.min(1, Math.max(0, good / total)) : null;
}

/** Budget left: 1 - (bad fraction / allowed bad fraction). */
export function budgetRemaining(sliValue: number, target: number): number {
  return 1 - (1 - sliValue) / (1 - target);
}

/** Burn rate: the bad fraction over the allowed bad fraction (1 spends the budget exactly over the window). */
export function burnRate(sliValue: number, target: number): number {
  return (1 - sliValue) / (1 - target);
}

/**
 * Status from the window's SLI and the last hour's burn: breached when the budget is spent,
 * at risk when it would be spent before the window ends at the current burn (or under 25 %
 * is left), met otherwise.
 */
export function sloStatus(
  windowSli: number | null,
  hourSli: number | null,
  target: number,
  windowDays: number,
): SloStatus {
  if (windowSli === null)
    return { state: 'no_data', sli: null, budgetRemaining: null, burnRate: null, hoursToExhaustion: null };
  const remaining = budgetRemaining(windowSli, target);
  const rate = hourSli === null ? null : burnRate(hourSli, target);
  const budgetHours = windowDays * 24;
  const hoursToExhaustion =
    rate && rate > 0 && remaining > 0 ? (remaining * budgetHours) / rate : remaining <= 0 ? 0 : null;
  let state: SloState = 'met';
  if (remaining <= 0) state = 'breached';
  else if (remaining < 0.25 || (hoursToExhaustion !== null && hoursToExhaustion < budgetHours))
    state = 'at_risk';
  const round = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);
  return {
    state,
    sli: round(windowSli),
    budgetRemaining: round(remaining),
    burnRate: round(rate),
    hoursToExhaustion: hoursToExhaustion === null ? null : Math.round(hoursToExhaustion * 10) / 10,
  };
}

/**
 * The multi-window, multi-burn-rate alert conditions (SRE workbook table 5-8), each with how
 * often it is evaluated: every 5 minutes (one short window of the fastest pair) and, for the
 * pair whose short window is 6 hours and which changes slowly, every 15.
 */
export const BURN_RATE_WINDOWS = [
  { long: '1h', short: '5m', factor: 14.4, severity: 'critical', everyMinutes: 5 },
  { long: '6h', short: '30m', factor: 6, severity: 'critical', everyMinutes: 5 },
  { long: '3d', short: '6h', factor: 1, severity: 'high', everyMinutes: 15 },
] as const;

export type BurnRateWindow = (typeof BURN_RATE_WINDOWS)[number];

/** The window pairs due for evaluation at `now` (on their minute boundaries, UTC). */
export function burnWindowsDue(now: number): BurnRateWindow[] {
  const minute = Math.floor(now / 60_000);
  return BURN_RATE_WINDOWS.filter((w) => minute % w.everyMinutes === 0);
}

/** Which burn-rate alerts fire, given the burn rate measured over each window. */
export function burnAlerts(
  burnOver: Record<string, number | null>,
): Array<(typeof BURN_RATE_WINDOWS)[number]> {
  return BURN_RATE_WINDOWS.filter(
    (w) => (burnOver[w.long] ?? 0) > w.factor && (burnOver[w.short] ?? 0) > w.factor,
  );
}

/** Substitutes the window into an SLI query (`[$window]`). */
export const withWindow = (query: string, window: string) => query.replaceAll('$window', window);
