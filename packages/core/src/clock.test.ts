import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './clock';
import { ValidationError } from './errors';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['250ms', 250],
    ['1w', 604_800_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 'm', '5 m', '-5m', '1.5h', '5mm'])('rejects %j naming the field', (text) => {
    expect(() => parseDuration(text, 'for')).toThrow(ValidationError);
    try {
      parseDuration(text, 'for');
    } catch (error) {
      expect((error as ValidationError).errors[0].field).toBe('for');
    }
  });

  it('round-trips through formatDuration', () => {
    for (const text of ['30s', '5m', '1h30m', '2d', '1w2d'])
      expect(formatDuration(parseDuration(text))).toBe(text);
  });
});
