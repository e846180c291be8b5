import type { Clock } from '@vigil/core';

/**
 * The local runtime's clock. Normally real time; with VIGIL_TEST_CLOCK=1 it stands still at
 * its start time and moves only when a test sets or advances it (schedules follow it).
 */
export class RuntimeClock implements Clock {
  private frozenAt: number | undefined;

  constructor(readonly controllable: boolean) {
    if (controllable) this.frozenAt = Date.now();
  }

  now(): number {
    return this.frozenAt ?? Date.now();
  }

  set(ms: number): void {
    if (!this.controllable)
      throw new Error('the clock is real time; start with VIGIL_TEST_CLOCK=1 to control it');
    this.frozenAt = ms;
  }
}
