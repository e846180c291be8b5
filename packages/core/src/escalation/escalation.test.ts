import { describe, expect, it } from 'vitest';
import { acknowledge, type EscalationPolicy, startEscalation, step } from './index';

const policy: EscalationPolicy = {
  id: 'p',
  name: 'default',
  levels: [
    { delayMinutes: 10, targets: [{ kind: 'user', id: 'alice' }] },
    { delayMinutes: 15, targets: [{ kind: 'schedule', id: 'primary' }] },
  ],
  repeat: 1,
  services: [],
  startLevel: { SEV1: 2 },
  ackTimeoutMinutes: 30,
  version: 1,
};
const T = Date.parse('2026-11-20T12:00:00Z');
const min = (m: number) => T + m * 60_000;

describe('escalation steps', () => {
  it('notifies L1 at once, L2 after its delay, repeats the chain, then stops', () => {
    let state = startEscalation(policy, 'SEV2', 'e1', T);
    const seen: string[] = [];
    for (let m = 0; m <= 120; m++) {
      const s = step(state, min(m));
      if (!s) continue;
      seen.push(`${m}:L${s.levelNumber}`);
      state = s.next;
    }
    expect(seen).toEqual(['0:L1', '10:L2', '25:L1', '35:L2']);
    expect(state.stoppedReason).toBe('exhausted');
  });

  it('starts SEV1 at the configured level and lets an acknowledgement time out', () => {
    let state = startEscalation(policy, 'SEV1', 'e1', T);
    expect(step(state, T)?.levelNumber).toBe(2);
    state = acknowledge(step(state, T)!.next, min(1));
    expect(step(state, min(30))).toBeUndefined();
    expect(step(state, min(31))?.levelNumber).toBe(1);
  });
});
