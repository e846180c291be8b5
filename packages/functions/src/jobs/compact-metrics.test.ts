import { describe, expect, it } from 'vitest';
import { budgetMs } from './compact-metrics';

describe('compact-metrics budget', () => {
  it('keeps a margin of the time an invocation has left, and a default without a context', () => {
    // The 300 s Lambda timeout: the run works 255 s and keeps 45 s to finish a group and save.
    expect(budgetMs(300_000)).toBe(255_000);
    expect(budgetMs(30_000)).toBe(25_000);
    expect(budgetMs(3_000)).toBe(0);
    expect(budgetMs(Number.POSITIVE_INFINITY)).toBe(240_000);
  });
});
