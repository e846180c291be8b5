import type { FilterPolicy, FunctionRow, ManifestPart } from './types';

const channel = (name: string): FunctionRow => ({
  name,
  kind: 'channel',
  entry: `packages/functions/src/channels/${name}.ts`,
  tables: { state: 'readwrite' },
  publishes: [],
  timeoutSeconds: 60,
});

/** The alerting domain: rules, Alertmanager-compatible alerts and silences, receivers, routing, channels. */
export const alertingPart: ManifestPart = {
  functions: [
    {
      name: 'evaluate-alerts',
      kind: 'job',
      entry: 'packages/functions/src/jobs/evaluate-alerts.ts',
      tables: { state: 'readwrite', metrics: 'read' },
      publishes: ['notifications'],
      singleton: true,
      timeoutSeconds: 55,
      memoryMb: 1024,
    },
    channel('webhook'),
    channel('slack'),
    channel('pagerduty'),
  ],
  routes: [
    {
      method: 'POST',
      path: '/api/v1/rules',
      function: 'alerts',
      scope: 'write',
      summary: 'Create an alerting rule (the expression is checked)',
    },
    {
      method: 'GET',
      path: '/api/v1/rules',
      function: 'alerts',
      scope: 'read',
      summary: 'Rules in the Prometheus /api/v1/rules shape, with state and health',
    },
    {
      method: 'GET',
      path: '/api/v1/rules/{id}',
      function: 'alerts',
      scope: 'read',
      summary: 'One rule with its alert instances',
    },
    {
      method: 'PUT',
      path: '/api/v1/rules/{id}',
      function: 'alerts',
      scope: 'write',
      summary: 'Replace a rule',
    },
    {
      method: 'PATCH',
      path: '/api/v1/rules/{id}',
      function: 'alerts',
      scope: 'write',
      summary: 'Enable or disable a rule',
    },
    {
      method: 'DELETE',
      path: '/api/v1/rules/{id}',
      function: 'alerts',
      scope: 'write',
      summary: 'Delete a rule',
    },
    {
      method: 'GET',
      path: '/api/v1/alerts',
      function: 'alerts',
      scope: 'read',
      summary: 'Alert instances (firing, resolved or all)',
    },
    {
      method: 'POST',
      path: '/api/v2/alerts',
      function: 'alerts',
      scope: 'write',
      summary: 'Alertmanager-compatible alert ingest (Prometheus can send here)',
    },
    {
      method: 'GET',
      path: '/api/v2/alerts',
      function: 'alerts',
      scope: 'read',
      summary: 'Alertmanager-compatible alert listing with filters',
    },
    {
      method: 'POST',
      path: '/api/v2/silences',
      function: 'alerts',
      scope: 'write',
      summary: 'Create or update a silence',
    },
    {
      method: 'GET',
      path: '/api/v2/silences',
      function: 'alerts',
      scope: 'read',
      summary: 'Silences with their derived state',
    },
    {
      method: 'GET',
      path: '/api/v2/silence/{id}',
      function: 'alerts',
      scope: 'read',
      summary: 'One silence',
    },
    {
      method: 'DELETE',
      path: '/api/v2/silence/{id}',
      function: 'alerts',
      scope: 'write',
      summary: 'Expire a silence',
    },
    {
      method: 'POST',
      path: '/api/v1/receivers',
      function: 'alerts',
      scope: 'write',
      summary: 'Create a receiver (Slack, email, webhook, PagerDuty)',
    },
    {
      method: 'GET',
      path: '/api/v1/receivers',
      function: 'alerts',
      scope: 'read',
      summary: 'List receivers (secrets redacted)',
    },
    {
      method: 'GET',
      path: '/api/v1/receivers/{name}',
      function: 'alerts',
      scope: 'read',
      summary: 'One receiver',
    },
    {
      method: 'PUT',
      path: '/api/v1/receivers/{name}',
      function: 'alerts',
      scope: 'write',
      summary: 'Replace a receiver',
    },
    {
      method: 'DELETE',
      path: '/api/v1/receivers/{name}',
      function: 'alerts',
      scope: 'write',
      summary: 'Delete a receiver not used by the routing',
    },
    {
      method: 'POST',
      path: '/api/v1/receivers/{name}/test',
      function: 'alerts',
      scope: 'write',
      summary: 'Send a test notification through a receiver',
    },
    {
      method: 'GET',
      path: '/api/v1/routing',
      function: 'alerts',
      scope: 'read',
      summary: 'The route tree and inhibit rules in force',
    },
    {
      method: 'PUT',
      path: '/api/v1/routing',
      function: 'alerts',
      scope: 'write',
      summary: 'Replace the route tree and inhibit rules (JSON or Alertmanager YAML)',
    },
  ],
  schedules: [
    {
      name: 'evaluate-alerts',
      expression: 'rate(1 minute)',
      function: 'evaluate-alerts',
      description: 'Evaluate alerting rules and flush due alert groups',
    },
  ],
  subscriptions: [
    {
      name: 'webhook',
      topic: 'notifications',
      protocol: 'lambda',
      function: 'webhook',
      filterPolicy: { channel: ['webhook'] },
    },
    {
      name: 'slack',
      topic: 'notifications',
      protocol: 'lambda',
      function: 'slack',
      filterPolicy: { channel: ['slack'] },
    },
    {
      name: 'pagerduty',
      topic: 'notifications',
      protocol: 'lambda',
      function: 'pagerduty',
      filterPolicy: { channel: ['pagerduty'] },
    },
    { name: 'email', topic: 'notifications', protocol: 'email', filterPolicy: { channel: ['email'] } },
  ],
};

/**
 * The message attribute naming an email receiver's `to` addresses (String.Array, lower case).
 * Notifications of a receiver without `to` carry no such attribute.
 */
export const RECIPIENTS_ATTRIBUTE = 'recipients';

/**
 * What narrows the `email` subscription of one subscribed address: it gets the notifications of
 * receivers whose `to` names it, and those of receivers without `to` (the deployment's default
 * recipients). SNS matches a String.Array attribute when any element matches.
 */
export function emailRecipientFilter(address: string): FilterPolicy {
  return {
    $or: [
      { [RECIPIENTS_ATTRIBUTE]: [address.toLowerCase()] },
      { [RECIPIENTS_ATTRIBUTE]: [{ exists: false }] },
    ],
  };
}

/**
 * The email subscriptions for a comma-separated list of addresses (VIGIL_ALERT_EMAILS): each
 * address gets the email receivers whose `to` names it, and those without `to`.
 */
export function emailSubscriptions(
  list: string | undefined,
): Array<{ address: string; filterPolicy: FilterPolicy }> {
  return (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((address) => ({ address, filterPolicy: emailRecipientFilter(address) }));
}
