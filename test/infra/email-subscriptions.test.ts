import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/src/app';
import { emailSubscriptions } from '../../infra/src/manifest';
import { NO_BUNDLING } from '../../infra/src/platform/testing';

/**
 * The offline CDK app and `sst deploy` subscribe VIGIL_ALERT_EMAILS the same way: one SNS email
 * subscription per address, filtered on the `recipients` attribute, so a receiver's `to` reaches
 * only the addresses it names (and a receiver without `to` reaches all of them).
 */
const saved = process.env.VIGIL_ALERT_EMAILS;
afterEach(() => {
  if (saved === undefined) delete process.env.VIGIL_ALERT_EMAILS;
  else process.env.VIGIL_ALERT_EMAILS = saved;
});

function emailSubscriptionsOf(t: Template) {
  return Object.values(t.findResources('AWS::SNS::Subscription'))
    .filter((r) => r.Properties.Protocol === 'email')
    .map((r) => ({ address: r.Properties.Endpoint, filterPolicy: r.Properties.FilterPolicy }));
}

describe('email subscriptions', () => {
  it('parses the comma-separated list, one filter per address', () => {
    expect(emailSubscriptions(' a@example.com, ,B@Example.com ')).toEqual([
      {
        address: 'a@example.com',
        filterPolicy: { $or: [{ recipients: ['a@example.com'] }, { recipients: [{ exists: false }] }] },
      },
      {
        address: 'B@Example.com',
        filterPolicy: { $or: [{ recipients: ['b@example.com'] }, { recipients: [{ exists: false }] }] },
      },
    ]);
    expect(emailSubscriptions(undefined)).toEqual([]);
  });

  it('the offline app filters each address by recipients, as the SST stack does', () => {
    process.env.VIGIL_ALERT_EMAILS = 'oncall@example.com,dba@example.com';
    const { stack } = buildApp({ context: NO_BUNDLING, outdir: undefined });
    const subscriptions = emailSubscriptionsOf(Template.fromStack(stack));
    expect(subscriptions).toHaveLength(2);
    // The platform adds its own `channel` condition beside the recipients filter.
    for (const wanted of emailSubscriptions(process.env.VIGIL_ALERT_EMAILS)) {
      const found = subscriptions.find((s) => s.address === wanted.address);
      expect(found?.filterPolicy).toEqual({ ...wanted.filterPolicy, channel: ['email'] });
    }
    // Functions know the subscribed addresses, so the receivers API can refuse any other.
    const config = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.VIGIL_ALERT_EMAILS !== undefined,
    );
    expect(config.length).toBeGreaterThan(0);
    expect(config[0].Properties.Environment.Variables.VIGIL_ALERT_EMAILS).toBe(
      'oncall@example.com,dba@example.com',
    );
  });
});
