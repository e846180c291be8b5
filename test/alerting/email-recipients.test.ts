import { emailRecipientFilter, manifest } from '@vigil/infra/manifest';
import { describe, expect, it } from 'vitest';
import { recipientAttributes } from '../../packages/functions/src/alerting/context';
import { matchesFilterPolicy } from '../../packages/local/src/sns/filter-policy';

/**
 * On AWS each address in VIGIL_ALERT_EMAILS is its own SNS email subscription, narrowed by
 * `emailRecipientFilter`: these check, with the emulator's SNS filter-policy semantics, that a
 * receiver's `to` decides who gets its notifications.
 */
describe("an email receiver's `to` decides the recipients", () => {
  const row = manifest.subscriptions.find((s) => s.protocol === 'email');
  const subscribed = ['sre@example.com', 'db@example.com', 'oncall@example.com'];
  const deliveredTo = (attributes: Record<string, string | string[]>) =>
    subscribed.filter((address) =>
      matchesFilterPolicy({ ...row?.filterPolicy, ...emailRecipientFilter(address) }, attributes),
    );
  const email = (to?: string[]) => ({
    severity: 'critical',
    receiver: 'team-email',
    channel: 'email',
    ...recipientAttributes({ type: 'email', to }),
  });

  it('sends to exactly the subscribed addresses a receiver names', () => {
    expect(deliveredTo(email(['SRE@example.com', 'db@example.com']))).toEqual([
      'sre@example.com',
      'db@example.com',
    ]);
    expect(deliveredTo(email(['db@example.com']))).toEqual(['db@example.com']);
  });

  it('sends a receiver without `to` to every default address', () => {
    expect(email([])).not.toHaveProperty('recipients');
    expect(deliveredTo(email())).toEqual(subscribed);
  });

  it('never sends other channels to email', () => {
    expect(deliveredTo({ ...email(['sre@example.com']), channel: 'slack' })).toEqual([]);
  });

  it('puts no recipients on notifications of other channels', () => {
    expect(recipientAttributes({ type: 'slack', to: ['sre@example.com'] })).toEqual({});
  });
});
