import { describe, expect, it } from 'vitest';
import { matchesFilterPolicy } from './filter-policy';

// Policies and attributes from the Amazon SNS "subscription filter policies" documentation.
const attrs = {
  store: 'example_corp',
  event: 'order_placed',
  customer_interests: ['soccer', 'rugby', 'hockey'],
  price_usd: 210.75,
  encrypted: 'false',
};

describe('matchesFilterPolicy', () => {
  it.each([
    // exact string match, OR within the key
    [{ store: ['example_corp'] }, true],
    [{ store: ['other_corp', 'example_corp'] }, true],
    [{ store: ['other_corp'] }, false],
    // a String.Array attribute matches when any element matches
    [{ customer_interests: ['rugby', 'football', 'baseball'] }, true],
    [{ customer_interests: ['baseball'] }, false],
    // AND across keys
    [{ store: ['example_corp'], event: ['order_placed'] }, true],
    [{ store: ['example_corp'], event: ['order_cancelled'] }, false],
    // numeric exact and ranges
    [{ price_usd: [210.75] }, true],
    [{ price_usd: [{ numeric: ['>=', 100] }] }, true],
    [{ price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, false],
    [{ price_usd: [{ numeric: ['=', 210.75] }] }, true],
    [{ price_usd: [{ numeric: ['<', 100] }] }, false],
    // anything-but, with a list and with a prefix
    [{ customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] }, true],
    [{ event: [{ 'anything-but': ['order_placed', 'order_cancelled'] }] }, false],
    [{ event: [{ 'anything-but': { prefix: 'order-' } }] }, true],
    [{ event: [{ 'anything-but': { prefix: 'order_' } }] }, false],
    [{ price_usd: [{ 'anything-but': [100, 500] }] }, true],
    // prefix, suffix, equals-ignore-case
    [{ event: [{ prefix: 'order' }] }, true],
    [{ customer_interests: [{ prefix: 'bas' }] }, false],
    [{ event: [{ suffix: '_placed' }] }, true],
    [{ store: [{ 'equals-ignore-case': 'EXAMPLE_CORP' }] }, true],
    // exists
    [{ store: [{ exists: true }] }, true],
    [{ missing: [{ exists: true }] }, false],
    [{ missing: [{ exists: false }] }, true],
    [{ store: [{ exists: false }] }, false],
    // a condition on an absent attribute never matches (except exists: false)
    [{ missing: ['x'] }, false],
    [{ missing: [{ 'anything-but': ['x'] }] }, false],
    // $or: either alternative, together with the keys outside it
    [{ store: ['example_corp'], $or: [{ event: ['nope'] }, { price_usd: [{ numeric: ['>', 200] }] }] }, true],
    [
      { store: ['example_corp'], $or: [{ event: ['nope'] }, { price_usd: [{ numeric: ['<', 200] }] }] },
      false,
    ],
    // the empty policy accepts everything
    [{}, true],
  ])('%j → %s', (policy, expected) => {
    expect(matchesFilterPolicy(policy, attrs)).toBe(expected);
  });

  it('routes notifications by channel as the manifest subscriptions do', () => {
    expect(matchesFilterPolicy({ channel: ['slack'] }, { channel: 'slack', severity: 'critical' })).toBe(
      true,
    );
    expect(matchesFilterPolicy({ channel: ['slack'] }, { channel: 'email', severity: 'critical' })).toBe(
      false,
    );
  });
});
