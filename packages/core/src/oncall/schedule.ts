import { addDays, daysBetween, fromWallClock, wallClock } from './zoned';

/** A rotation of people through shifts of fixed length, in one time zone. */
export interface Layer {
  name: string;
  users: string[];
  /** When the first user's first shift starts (ISO instant). */
  rotationStart: string;
  shift: { every: number; unit: 'hours' | 'days' | 'weeks' };
  /** Local time shifts change hands (days/weeks rotations), `HH:MM`; default: rotationStart's local time. */
  handoffTime?: string;
  timeZone: string;
  /** When present, the layer covers only these local windows (e.g. weekdays 09:00–17:00). */
  restrictions?: Array<{ days: number[]; start: string; end: string }>;
}

export interface Override {
  id: string;
  user: string;
  start: string;
  end: string;
}

export interface Schedule {
  id: string;
  name: string;
  layers: Layer[];
  overrides: Override[];
  version: number;
}

export interface OnCall {
  user: string | null;
  /** Which layer or override put them there. */
  source: string | null;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Who a layer puts on call at `at` (ms), or null outside its restrictions. */
export function layerOnCall(layer: Layer, at: number): string | null {
  if (!layer.users.length) return null;
  const start = Date.parse(layer.rotationStart);
  if (at < start) return null;
  const local = wallClock(at, layer.timeZone);
  if (layer.restrictions?.length) {
    const minute = local.hour * 60 + local.minute;
    const inside = layer.restrictions.some((r) => {
      const from = minutesOf(r.start);
      const to = minutesOf(r.end);
      return (
        r.days.includes(local.weekday) &&
        (from <= to ? minute >= from && minute < to : minute >= from || minute < to)
      );
    });
    if (!inside) return null;
  }
  let index: number;
  if (layer.shift.unit === 'hours') {
    index = Math.floor((at - start) / (layer.shift.every * 3_600_000));
  } else {
    // Days and weeks are counted on the local calendar, so shifts keep their wall-clock
    // handoff time across daylight-saving changes.
    const startLocal = wallClock(start, layer.timeZone);
    const handoff = layer.handoffTime
      ? minutesOf(layer.handoffTime)
      : startLocal.hour * 60 + startLocal.minute;
    let days = daysBetween(startLocal, local);
    if (local.hour * 60 + local.minute < handoff) days -= 1;
    const length = layer.shift.every * (layer.shift.unit === 'weeks' ? 7 : 1);
    index = Math.floor(days / length);
  }
  return layer.users[((index % layer.users.length) + layer.users.length) % layer.users.length];
}

/** Who is on call at `at`: an override first, else the last layer that has someone. */
export function onCallAt(schedule: Pick<Schedule, 'layers' | 'overrides'>, at: number): OnCall {
  const override = schedule.overrides.find((o) => Date.parse(o.start) <= at && at < Date.parse(o.end));
  if (override) return { user: override.user, source: `override:${override.id}` };
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const user = layerOnCall(schedule.layers[i], at);
    if (user) return { user, source: `layer:${schedule.layers[i].name}` };
  }
  return { user: null, source: null };
}

/** The final schedule between two instants as contiguous shifts (minute resolution). */
export function shiftsBetween(
  schedule: Pick<Schedule, 'layers' | 'overrides'>,
  start: number,
  end: number,
): Array<{ user: string | null; source: string | null; start: string; end: string }> {
  const out: Array<{ user: string | null; source: string | null; start: number; end: number }> = [];
  for (const t of changePoints(schedule, start, end)) {
    const who = onCallAt(schedule, t);
    const last = out.at(-1);
    if (last && last.user === who.user && last.source === who.source) continue;
    if (last) last.end = t;
    out.push({ ...who, start: t, end });
  }
  return out.map((s) => ({
    ...s,
    start: new Date(s.start).toISOString(),
    end: new Date(s.end).toISOString(),
  }));
}

/** Every instant at which who is on call may change: handoffs, restriction edges, overrides. */
function changePoints(
  schedule: Pick<Schedule, 'layers' | 'overrides'>,
  start: number,
  end: number,
): number[] {
  const points = new Set<number>([start]);
  for (const o of schedule.overrides)
    for (const t of [Date.parse(o.start), Date.parse(o.end)]) if (t > start && t < end) points.add(t);
  for (const layer of schedule.layers) {
    const rotation = Date.parse(layer.rotationStart);
    if (rotation > start && rotation < end) points.add(rotation);
    if (layer.shift.unit === 'hours') {
      const every = layer.shift.every * 3_600_000;
      for (let t = rotation + Math.ceil((start - rotation) / every) * every; t < end; t += every)
        if (t > start) points.add(t);
    }
    // Local-midnight-based edges: handoff times and restriction edges on each local day.
    const minutes = new Set<number>();
    const startLocal = wallClock(rotation, layer.timeZone);
    minutes.add(layer.handoffTime ? minutesOf(layer.handoffTime) : startLocal.hour * 60 + startLocal.minute);
    for (const r of layer.restrictions ?? []) {
      minutes.add(minutesOf(r.start));
      minutes.add(minutesOf(r.end));
    }
    const first = wallClock(start, layer.timeZone);
    for (let d = -1; ; d++) {
      const date = addDays(first, d);
      const dayStart = fromWallClock({ ...date, hour: 0, minute: 0 }, layer.timeZone);
      if (dayStart > end) break;
      for (const m of minutes) {
        const t = fromWallClock({ ...date, hour: Math.floor(m / 60), minute: m % 60 }, layer.timeZone);
        if (t > start && t < end) points.add(t);
      }
    }
  }
  return [...points].sort((a, b) => a - b);
}
