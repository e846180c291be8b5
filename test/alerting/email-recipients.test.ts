import { emailRecipientFilter, manifest } from '@vigil/infra/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientAttributes } from '../../packages/functions/src/alerting/context';
import { matchesFilterPolicy } from '../../packages/local/src/sns/filter-policy';
import { startTestRuntime } from '../support/runtime';

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

describe('a deployment with subscribed addresses (VIGIL_ALERT_EMAILS)', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  const saved = process.env.VIGIL_ALERT_EMAILS;
  beforeAll(async () => {
    // As the CDK platform sets it for every function.
    process.env.VIGIL_ALERT_EMAILS = 'sre@example.com,oncall@example.com';
    rt = await startTestRuntime();
  });
  afterAll(async () => {
    await rt?.stop();
    if (saved === undefined) delete process.env.VIGIL_ALERT_EMAILS;
    else process.env.VIGIL_ALERT_EMAILS = saved;
  });

  it('refuses an email receiver naming an address no subscription reaches, naming the field', async () => {
    const res = await rt.api('POST', '/api/v1/receivers', {
      name: 'team-mail',
      type: 'email',
      to: ['SRE@example.com', 'nobody@example.com'],
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = res.body;
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'to.1' })]);
    expect(problem.errors[0].message).toContain('VIGIL_ALERT_EMAILS');
    expect((await rt.api('GET', '/api/v1/receivers/team-mail')).status).toBe(404);
  });

  it('accepts subscribed addresses in any case, on create and on update', async () => {
    const body = { name: 'team-mail', type: 'email', to: ['SRE@example.com'] };
    expect((await rt.api('POST', '/api/v1/receivers', body)).status).toBe(201);
    const update = await rt.api('PUT', '/api/v1/receivers/team-mail', { ...body, to: ['x@example.com'] });
    expect(update.status).toBe(400);
    const ok = await rt.api('PUT', '/api/v1/receivers/team-mail', { ...body, to: ['oncall@example.com'] });
    expect(ok.status).toBe(200);
  });
});
