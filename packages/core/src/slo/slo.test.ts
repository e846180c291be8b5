import { describe, expect, it } from 'vitest';
import { budgetRemaining, burnAlerts, burnRate, burnWindowsDue, sli, sloStatus } from './index';

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

  it.each([
    // 99.9 % target (0.1 % allowed). 1.5 % bad over 1 h and 2 % over 5 m: 15× and 20× → page.
    [0.999, { '1h': [985, 1000], '5m': [98, 100] }, ['1h/5m']],
    // Exactly 14.4× (1.44 % bad) is not above the factor.
    [0.999, { '1h': [9856, 10_000], '5m': [9856, 10_000] }, []],
    // 0.7 % bad over 6 h and 30 m against 99.9 %: 7× → the 6h/30m page; 3 d at 0.9 ‰ (0.9×) stays quiet.
    [0.999, { '6h': [993, 1000], '30m': [993, 1000], '3d': [99_910, 100_000] }, ['6h/30m']],
    // 99.5 % target: 0.6 % bad over 3 d and 6 h is 1.2× → the 3d/6h ticket only.
    [0.995, { '3d': [99_400, 100_000], '6h': [994, 1000], '30m': [100, 100] }, ['3d/6h']],
    // A window without events cannot burn.
    [0.999, { '1h': [0, 0], '5m': [0, 0] }, []],
  ] as const)('target %d with good/total %j fires %j', (target, counts, expected) => {
    const burns = Object.fromEntries(
      Object.entries(counts).map(([w, [good, total]]) => {
        const value = sli(good, total);
        return [w, value === null ? null : burnRate(value, target)];
      }),
    );
    expect(burnAlerts(burns).map((w) => `${w.long}/${w.short}`)).toEqual(expected);
  });

  it.each([
    // 12:00: every pair
    ['2026-11-20T12:00:00Z', ['1h/5m', '6h/30m', '3d/6h']],
    // 12:05: the fast pairs only
    ['2026-11-20T12:05:00Z', ['1h/5m', '6h/30m']],
    // 12:15: every pair again
    ['2026-11-20T12:15:00Z', ['1h/5m', '6h/30m', '3d/6h']],
    // off the 5-minute grid: none
    ['2026-11-20T12:07:00Z', []],
  ])('at %s evaluates %j', (at, pairs) => {
    expect(burnWindowsDue(Date.parse(at)).map((w) => `${w.long}/${w.short}`)).toEqual(pairs);
  });
});
