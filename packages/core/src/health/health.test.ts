import { describe, expect, it } from 'vitest';
import { heartbeatStatus, overallStatus } from './index';

const MIN = 60_000;

describe('heartbeatStatus', () => {
  it.each([
    // never ran, deployment young: waiting for its first run is fine
    [undefined, 2 * MIN, 'pass'],
    // never ran, deployment older than 3 periods: something is wrong
    [undefined, 4 * MIN, 'fail'],
    // ran a minute ago
    [{ job: 'j', lastSuccessAt: 99 * MIN }, 0, 'pass'],
    // silent for exactly 3 periods: still fine
    [{ job: 'j', lastSuccessAt: 97 * MIN }, 0, 'pass'],
    // silent for more than 3 periods
    [{ job: 'j', lastSuccessAt: 96 * MIN }, 0, 'fail'],
    // failed after its last success
    [{ job: 'j', lastSuccessAt: 99 * MIN, lastFailureAt: 99.5 * MIN, lastError: 'boom' }, 0, 'warn'],
  ])('%j (up for %d ms) is %s', (beat, upFor, status) => {
    const now = 100 * MIN;
    expect(heartbeatStatus(beat, MIN, now, upFor ? now - upFor : 0).status).toBe(status);
  });
});

describe('overallStatus', () => {
  it('fails only on critical failures and warns on the rest', () => {
    expect(overallStatus([{ name: 'a', status: 'pass', critical: true }])).toBe('pass');
    expect(overallStatus([{ name: 'a', status: 'fail', critical: false }])).toBe('warn');
    expect(overallStatus([{ name: 'a', status: 'fail', critical: true }])).toBe('fail');
  });
});
