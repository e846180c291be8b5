import { ValidationError } from '../errors';

/**
 * AWS schedule expressions, as EventBridge Scheduler reads them: `rate(value unit)` and
 * `cron(minutes hours day-of-month month day-of-week year)`, always in UTC.
 */
export type ScheduleExpression =
  | { kind: 'rate'; text: string; everyMs: number }
  | { kind: 'cron'; text: string; cron: CronSpec };

/** A parsed AWS cron expression; `days` matches day-of-month or day-of-week, whichever is not `?`. */
export interface CronSpec {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number> | null;
  day: DayRule;
}

type DayRule =
  | { kind: 'any' }
  | { kind: 'dom'; days: Set<number>; last: boolean; lastOffset: number; nearestWeekday: number | null }
  | { kind: 'dow'; days: Set<number>; lastOf: number | null; nth: { day: number; n: number } | null };

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function invalid(text: string, why: string): ValidationError {
  return new ValidationError(`'${text}' is not a schedule expression: ${why}`, [
    { field: 'expression', message: why },
  ]);
}

/**
 * Parses `rate(...)` or `cron(...)`.
 * @throws ValidationError (field `expression`) saying what is wrong.
 */
export function parseScheduleExpression(text: string): ScheduleExpression {
  const rate = RATE.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2].replace(/s$/, '') as keyof typeof UNIT_MS;
    if (value < 1) throw invalid(text, 'the rate must be at least 1');
    if ((value === 1) !== !rate[2].endsWith('s'))
      throw invalid(text, `write '1 ${unit}' and '${value} ${unit}s'`);
    return { kind: 'rate', text, everyMs: value * UNIT_MS[unit] };
  }
  const cron = CRON.exec(text);
  if (!cron) throw invalid(text, 'expected rate(value unit) or cron(fields)');
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6)
    throw invalid(
      text,
      `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
    );
  const [min, hour, dom, month, dow, year] = fields;
  if ((dom === '?') === (dow === '?'))
    throw invalid(text, 'exactly one of day-of-month and day-of-week must be ?');
  return {
    kind: 'cron',
    text,
    cron: {
      minutes: parseField(min, 0, 59, text, 'minutes'),
      hours: parseField(hour, 0, 23, text, 'hours'),
      months: parseField(month, 1, 12, text, 'month', MONTHS),
      years: year === '*' ? null : parseField(year, 1970, 2199, text, 'year'),
      day: dom !== '?' ? parseDom(dom, text) : parseDow(dow, text),
    },
  };
}

function parseValue(
  token: string,
  lo: number,
  hi: number,
  text: string,
  name: string,
  names?: string[],
): number {
  const named = names?.indexOf(token.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + lo : Number(token);
  if (!Number.isInteger(value) || value < lo || value > hi)
    throw invalid(text, `${name} value '${token}' is outside ${lo}-${hi}`);
  return value;
}

function parseField(
  field: string,
  lo: number,
  hi: number,
  text: string,
  name: string,
  names?: string[],
): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw invalid(text, `${name} step '${stepText}' must be a positive integer`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [lo, hi];
    else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = parseValue(a, lo, hi, text, name, names);
      to = parseValue(b, lo, hi, text, name, names);
      if (to < from) throw invalid(text, `${name} range '${range}' runs backwards`);
    } else {
      from = parseValue(range, lo, hi, text, name, names);
      to = stepText === undefined ? from : hi;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function parseDom(field: string, text: string): DayRule {
  if (field === '*') return { kind: 'any' };
  const last = /^L(?:-(\d+))?$/.exec(field);
  if (last)
    return {
      kind: 'dom',
      days: new Set(),
      last: true,
      lastOffset: Number(last[1] ?? 0),
      nearestWeekday: null,
    };
  const weekday = /^(\d+)W$/.exec(field);
  if (weekday) {
    const day = parseValue(weekday[1], 1, 31, text, 'day-of-month');
    return { kind: 'dom', days: new Set(), last: false, lastOffset: 0, nearestWeekday: day };
  }
  return {
    kind: 'dom',
    days: parseField(field, 1, 31, text, 'day-of-month'),
    last: false,
    lastOffset: 0,
    nearestWeekday: null,
  };
}

function parseDow(field: string, text: string): DayRule {
  if (field === '*') return { kind: 'any' };
  // AWS numbers weekdays 1-7 from Sunday; we store 0-6 as Date.getUTCDay does.
  const toDay = (token: string) => parseValue(token, 1, 7, text, 'day-of-week', WEEKDAYS) - 1;
  if (field === 'L') return { kind: 'dow', days: new Set(), lastOf: 6, nth: null };
  const lastOf = /^(\w+)L$/.exec(field);
  if (lastOf) return { kind: 'dow', days: new Set(), lastOf: toDay(lastOf[1]), nth: null };
  const nth = /^(\w+)#([1-5])$/.exec(field);
  if (nth)
    return { kind: 'dow', days: new Set(), lastOf: null, nth: { day: toDay(nth[1]), n: Number(nth[2]) } };
  const days = new Set<number>();
  for (const v of parseField(field, 1, 7, text, 'day-of-week', WEEKDAYS)) days.add(v - 1);
  return { kind: 'dow', days, lastOf: null, nth: null };
}
