import { describe, expect, it } from 'vitest';
import { budgetRemaining, burnAlerts, burnRate, sli, sloStatus } from './index';

describe('error budgets', () => {
  it.each([
    // 99.5 % target, 99.75 % achieved: half the budget left, burning at 0.5×
    [0.9975, 0.995, 0.5, 0.5],
    // exactly on target: budget spent, burning at 1×
    [0.995, 0.995, 0, 1],
    // 99 % achieved against 99.9 %: ten budgets spent
    [0.99, 0.999, -9, 10],
    // perfect
    [1, 0.99, 1, 0],
  ])('SLI %d against %d leaves %d of the budget at %d× burn', (s, target, remaining, rate) => {
    expect(budgetRemaining(s, target)).toBeCloseTo(remaining, 9);
    expect(burnRate(s, target)).toBeCloseTo(rate, 9);
  });

  it('derives status and time to exhaustion', () => {
    // 28-day window, 60 % of budget left, burning 2× now: 0.6 × 672 h / 2 = 201.6 h → at risk
    expect(sloStatus(0.998, 0.99, 0.995, 28)).toMatchObject({
      state: 'at_risk',
      budgetRemaining: 0.6,
      burnRate: 2,
      hoursToExhaustion: 201.6,
    });
    expect(sloStatus(0.999, 0.9999, 0.995, 28)).toMatchObject({ state: 'met', budgetRemaining: 0.8 });
    expect(sloStatus(0.99, 0.99, 0.995, 28)).toMatchObject({ state: 'breached', hoursToExhaustion: 0 });
    expect(sloStatus(null, null, 0.995, 28).state).toBe('no_data');
    expect(sli(0, 0)).toBeNull();
  });

  it('fires burn-rate alerts only when both windows exceed the factor', () => {
    expect(burnAlerts({ '1h': 20, '5m': 15 }).map((w) => w.factor)).toEqual([14.4]);
    expect(burnAlerts({ '1h': 20, '5m': 2 })).toEqual([]);
    expect(burnAlerts({ '6h': 7, '30m': 8, '3d': 1.5 }).map((w) => w.factor)).toEqual([6, 1]);
    expect(burnAlerts({ '6h': 7, '30m': 8, '3d': 0.5 }).map((w) => w.factor)).toEqual([6]);
  });
});
