import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { parseScheduleExpression } from './expression';
import { nextOccurrence, occurrencesBetween, periodMs } from './next';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace('.000Z', 'Z'));

describe('schedule expressions', () => {
  // Examples from the EventBridge Scheduler "schedule types" documentation, read in UTC.
  it.each([
    // every 10 minutes, Monday to Friday
    ['cron(0/10 * ? * MON-FRI *)', '2026-11-20T23:55:00Z', '2026-11-23T00:00:00Z'],
    // 10:15 every day
    ['cron(15 10 * * ? *)', '2026-11-24T10:15:00Z', '2026-11-25T10:15:00Z'],
    // 18:00 Monday to Friday
    ['cron(0 18 ? * MON-FRI *)', '2026-11-24T18:00:00Z', '2026-11-25T18:00:00Z'],
    // 08:00 on the first day of every month
    ['cron(0 8 1 * ? *)', '2026-11-24T00:00:00Z', '2026-12-01T08:00:00Z'],
    // every 5 minutes between 08:00 and 17:55, Monday to Friday
    ['cron(0/5 8-17 ? * MON-FRI *)', '2026-11-24T17:55:00Z', '2026-11-25T08:00:00Z'],
    // 09:00 on the first Monday of every month
    ['cron(0 9 ? * 2#1 *)', '2026-11-24T00:00:00Z', '2026-12-07T09:00:00Z'],
    // 10:30 on the last day of the month
    ['cron(30 10 L * ? *)', '2026-02-01T00:00:00Z', '2026-02-28T10:30:00Z'],
    // last Friday of the month
    ['cron(0 12 ? * 6L *)', '2026-11-01T00:00:00Z', '2026-11-27T12:00:00Z'],
    // nearest weekday to the 1st: 2026-11-01 is a Sunday, so Monday the 2nd
    ['cron(0 7 1W * ? *)', '2026-10-31T00:00:00Z', '2026-11-02T07:00:00Z'],
    // nearest weekday to the 15th: 2026-08-15 is a Saturday, so Friday the 14th
    ['cron(0 7 15W * ? *)', '2026-08-01T00:00:00Z', '2026-08-14T07:00:00Z'],
    // lists and names
    ['cron(0 8 ? * MON,WED,FRI *)', '2026-11-24T09:00:00Z', '2026-11-25T08:00:00Z'],
    // weekly report on Mondays at 08:00
    ['cron(0 8 ? * MON *)', '2026-11-24T09:00:00Z', '2026-11-30T08:00:00Z'],
    // a year list that has ended never fires again
    ['cron(0 0 1 1 ? 2020)', '2026-01-01T00:00:00Z', null],
    // month names
    ['cron(0 0 1 JAN,JUL ? *)', '2026-02-01T00:00:00Z', '2026-07-01T00:00:00Z'],
    ['rate(1 minute)', '2026-11-24T10:15:30Z', '2026-11-24T10:16:00Z'],
    ['rate(5 minutes)', '2026-11-24T10:15:00Z', '2026-11-24T10:20:00Z'],
    ['rate(1 day)', '2026-11-24T10:15:00Z', '2026-11-25T00:00:00Z'],
    ['rate(2 hours)', '2026-11-24T10:15:00Z', '2026-11-24T12:00:00Z'],
  ])('%s after %s fires at %s', (text, after, next) => {
    expect(iso(nextOccurrence(parseScheduleExpression(text), at(after)))).toBe(next);
  });

  it.each([
    ['rate(0 minutes)', 'at least 1'],
    ['rate(5 minute)', "'5 minutes'"],
    ['rate(1 minutes)', "'1 minute'"],
    ['rate(5 weeks)', 'expected rate'],
    ['cron(0 8 * * *)', '6 fields'],
    ['cron(0 8 * * * *)', 'exactly one'],
    ['cron(0 8 ? * ? *)', 'exactly one'],
    ['cron(61 8 * * ? *)', 'outside 0-59'],
    ['cron(0 8 ? * 8 *)', 'outside 1-7'],
    ['cron(0 8-2 * * ? *)', 'backwards'],
    ['every minute', 'expected rate'],
  ])('rejects %s', (text, why) => {
    expect(() => parseScheduleExpression(text)).toThrow(ValidationError);
    expect(() => parseScheduleExpression(text)).toThrow(why);
  });

  it('lists every occurrence in an interval, oldest first', () => {
    const times = occurrencesBetween(
      parseScheduleExpression('rate(5 minutes)'),
      at('2026-11-24T10:00:00Z'),
      at('2026-11-24T10:20:00Z'),
    );
    expect(times.map(iso)).toEqual([
      '2026-11-24T10:05:00Z',
      '2026-11-24T10:10:00Z',
      '2026-11-24T10:15:00Z',
      '2026-11-24T10:20:00Z',
    ]);
  });

  it('measures the period of rates and crons', () => {
    expect(periodMs(parseScheduleExpression('rate(5 minutes)'), 0)).toBe(300_000);
    expect(periodMs(parseScheduleExpression('cron(0 8 * * ? *)'), at('2026-11-24T00:00:00Z'))).toBe(
      86_400_000,
    );
  });
});
