import type { CronSpec, ScheduleExpression } from './expression';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead a cron is searched before it is declared never to fire again. */
const HORIZON_DAYS = 366 * 8;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dayMatches(spec: CronSpec, date: Date): boolean {
  const rule = spec.day;
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const dom = date.getUTCDate();
  const dow = date.getUTCDay();
  const monthDays = daysInMonth(year, month);
  switch (rule.kind) {
    case 'any':
      return true;
    case 'dom': {
      if (rule.last) return dom === monthDays - rule.lastOffset;
      if (rule.nearestWeekday !== null)
        return dom === nearestWeekday(year, month, Math.min(rule.nearestWeekday, monthDays));
      return rule.days.has(dom);
    }
    case 'dow': {
      if (rule.lastOf !== null) return dow === rule.lastOf && dom + 7 > monthDays;
      if (rule.nth) return dow === rule.nth.day && Math.ceil(dom / 7) === rule.nth.n;
      return rule.days.has(dow);
    }
  }
}

/** The weekday nearest to `day` within the same month (Quartz/AWS `W`). */
function nearestWeekday(year: number, month: number, day: number): number {
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  if (dow === 6) return day === 1 ? 3 : day - 1;
  if (dow === 0) return day === daysInMonth(year, month) ? day - 2 : day + 1;
  return day;
}

function nextCron(spec: CronSpec, after: number): number | null {
  const start = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const firstDay = Math.floor(start / DAY) * DAY;
  for (let d = 0; d < HORIZON_DAYS; d++) {
    const dayStart = firstDay + d * DAY;
    const date = new Date(dayStart);
    if (spec.years && !spec.years.has(date.getUTCFullYear())) continue;
    if (!spec.months.has(date.getUTCMonth() + 1) || !dayMatches(spec, date)) continue;
    const from = Math.max(start, dayStart);
    for (let hour = new Date(from).getUTCHours(); hour < 24; hour++) {
      if (!spec.hours.has(hour)) continue;
      for (const minute of [...spec.minutes].sort((a, b) => a - b)) {
        const at = dayStart + hour * 3_600_000 + minute * MINUTE;
        if (at >= from) return at;
      }
    }
  }
  return null;
}

/** The first occurrence strictly after `after` (ms), or null if there is none. Rates align to the epoch. */
export function nextOccurrence(expression: ScheduleExpression, after: number): number | null {
  if (expression.kind === 'rate') return (Math.floor(after / expression.everyMs) + 1) * expression.everyMs;
  return nextCron(expression.cron, after);
}

/** Every occurrence in (from, to], oldest first, at most `max`. */
export function occurrencesBetween(
  expression: ScheduleExpression,
  from: number,
  to: number,
  max = 100_000,
): number[] {
  const out: number[] = [];
  for (
    let t = nextOccurrence(expression, from);
    t !== null && t <= to && out.length < max;
    t = nextOccurrence(expression, t)
  ) {
    out.push(t);
  }
  return out;
}

/** The usual gap between runs, measured from `from`: health uses it to call a job silent. */
export function periodMs(expression: ScheduleExpression, from: number): number {
  if (expression.kind === 'rate') return expression.everyMs;
  const first = nextOccurrence(expression, from);
  const second = first === null ? null : nextOccurrence(expression, first);
  return first === null || second === null ? Number.POSITIVE_INFINITY : second - first;
}
