import type { TableStore } from '@vigil/core/ports';

/** Consecutive failures that open a receiver's circuit, and how long it stays open. */
export const FAILURES_TO_OPEN = 3;
export const OPEN_FOR_MS = 60_000;

export interface CircuitRecord {
  receiver: string;
  state: 'closed' | 'open' | 'half-open';
  failures: number;
  openedAt: number | null;
}

const key = (receiver: string) => ({ PK: `CIRCUIT#${receiver}`, SK: 'CIRCUIT' });

/**
 * A circuit breaker per receiver, kept in the store so every Lambda sees it: closed until three
 * consecutive failures, then open (calls fail fast) for a minute, then half-open (one trial
 * call decides). `/health/detailed` shows every circuit.
 */
export class CircuitBreaker {
  constructor(private readonly store: TableStore) {}

  async read(receiver: string): Promise<CircuitRecord> {
    const item = await this.store.get(key(receiver));
    return (
      (item?.data as CircuitRecord | undefined) ?? { receiver, state: 'closed', failures: 0, openedAt: null }
    );
  }

  /** Whether a call may go ahead now (an open circuit past its wait becomes half-open). */
  async allow(receiver: string, now: number): Promise<boolean> {
    const c = await this.read(receiver);
    if (c.state !== 'open') return true;
    if (c.openedAt !== null && now - c.openedAt >= OPEN_FOR_MS) {
      await this.write({ ...c, state: 'half-open' });
      return true;
    }
    return false;
  }

  async success(receiver: string): Promise<void> {
    const c = await this.read(receiver);
    if (c.state !== 'closed' || c.failures)
      await this.write({ receiver, state: 'closed', failures: 0, openedAt: null });
  }

  async failure(receiver: string, now: number): Promise<CircuitRecord> {
    const c = await this.read(receiver);
    const failures = c.failures + 1;
    const next: CircuitRecord =
      c.state === 'half-open' || failures >= FAILURES_TO_OPEN
        ? { receiver, state: 'open', failures, openedAt: now }
        : { ...c, failures };
    await this.write(next);
    return next;
  }

  private async write(c: CircuitRecord): Promise<void> {
    await this.store.put({ ...key(c.receiver), GSI1PK: 'circuit', GSI1SK: c.receiver, data: c });
  }
}
