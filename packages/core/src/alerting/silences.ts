import { allMatch, type Matcher } from './matchers';

/** A silence; its state is derived from its times, never stored. */
export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  updatedAt: string;
  version: number;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (Date.parse(s.endsAt) <= now) return 'expired';
  if (Date.parse(s.startsAt) > now) return 'pending';
  return 'active';
}

/** The active silences that mute an alert's labels. */
export function silencedBy(silences: Silence[], labels: Record<string, string>, now: number): string[] {
  return silences
    .filter((s) => silenceState(s, now) === 'active' && allMatch(s.matchers, labels))
    .map((s) => s.id);
}
