import { describe, expect, it } from 'vitest';
import { type Layer, onCallAt, shiftsBetween } from './schedule';

const daily = (timeZone: string, rotationStart: string): Layer => ({
  name: 'primary',
  users: ['alice', 'bob', 'carol'],
  rotationStart,
  shift: { every: 1, unit: 'days' },
  handoffTime: '09:00',
  timeZone,
});

describe('on-call schedules across daylight-saving changes', () => {
  it.each([
    // New York springs forward on 2026-03-08: the 09:00 handoff stays at 09:00 local (13:00Z after, 14:00Z before).
    ['America/New_York', '2026-03-07T14:00:00Z', '2026-03-07T13:59:00Z', null],
    ['America/New_York', '2026-03-07T14:00:00Z', '2026-03-07T14:00:00Z', 'alice'],
    ['America/New_York', '2026-03-07T14:00:00Z', '2026-03-08T12:59:00Z', 'alice'],
    ['America/New_York', '2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', 'bob'],
    // and falls back on 2026-11-01: 09:00 local is 14:00Z again.
    ['America/New_York', '2026-10-31T13:00:00Z', '2026-11-01T13:30:00Z', 'alice'],
    ['America/New_York', '2026-10-31T13:00:00Z', '2026-11-01T14:00:00Z', 'bob'],
    // Berlin springs forward on 2026-03-29 (09:00 local: 08:00Z before, 07:00Z after).
    ['Europe/Berlin', '2026-03-28T08:00:00Z', '2026-03-29T06:59:00Z', 'alice'],
    ['Europe/Berlin', '2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z', 'bob'],
    // and falls back on 2026-10-25 (09:00 local: 07:00Z before, 08:00Z after).
    ['Europe/Berlin', '2026-10-24T07:00:00Z', '2026-10-25T07:30:00Z', 'alice'],
    ['Europe/Berlin', '2026-10-24T07:00:00Z', '2026-10-25T08:00:00Z', 'bob'],
    ['Europe/Berlin', '2026-10-24T07:00:00Z', '2026-10-27T08:00:00Z', 'alice'],
  ])('%s rotation from %s: %s → %s', (zone, start, at, who) => {
    expect(onCallAt({ layers: [daily(zone, start)], overrides: [] }, Date.parse(at)).user).toBe(who);
  });

  it('lets overrides win and later layers cover earlier ones within their restrictions', () => {
    const business: Layer = {
      name: 'business-hours',
      users: ['dave'],
      rotationStart: '2026-01-01T00:00:00Z',
      shift: { every: 1, unit: 'weeks' },
      timeZone: 'Europe/Berlin',
      restrictions: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
    };
    const schedule = {
      layers: [daily('Europe/Berlin', '2026-11-16T08:00:00Z'), business],
      overrides: [{ id: 'o1', user: 'erin', start: '2026-11-24T12:00:00Z', end: '2026-11-24T13:00:00Z' }],
    };
    expect(onCallAt(schedule, Date.parse('2026-11-24T10:00:00Z'))).toEqual({
      user: 'dave',
      source: 'layer:business-hours',
    });
    expect(onCallAt(schedule, Date.parse('2026-11-24T12:30:00Z'))).toEqual({
      user: 'erin',
      source: 'override:o1',
    });
    expect(onCallAt(schedule, Date.parse('2026-11-24T20:00:00Z')).source).toBe('layer:primary');
    expect(onCallAt(schedule, Date.parse('2026-11-22T12:00:00Z')).source).toBe('layer:primary');
  });

  it('lists the final shifts of a DST week with exact handoffs', () => {
    const shifts = shiftsBetween(
      { layers: [daily('America/New_York', '2026-03-07T14:00:00Z')], overrides: [] },
      Date.parse('2026-03-07T14:00:00Z'),
      Date.parse('2026-03-10T13:00:00Z'),
    );
    expect(shifts.map((s) => [s.user, s.start])).toEqual([
      ['alice', '2026-03-07T14:00:00.000Z'],
      ['bob', '2026-03-08T13:00:00.000Z'],
      ['carol', '2026-03-09T13:00:00.000Z'],
    ]);
  });
});
