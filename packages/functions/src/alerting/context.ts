import {
  type InhibitRule,
  type ResolvedRoute,
  type RoutingConfig,
  resolveRouting,
} from '@vigil/core/alerting';
import {
  alertRepository,
  groupRepository,
  nflogRepository,
  type Receiver,
  receiverRepository,
  routingRepository,
  ruleRepository,
  ruleStateRepository,
  silenceRepository,
} from '@vigil/dynamo';
import { RECIPIENTS_ATTRIBUTE } from '@vigil/infra/manifest';
import { platform } from '../platform/context';

/** The alerting repositories over the platform's state table. */
export function alerting() {
  const s = platform().tables.state;
  return {
    alerts: alertRepository(s),
    receivers: receiverRepository(s),
    routing: routingRepository(s),
    silences: silenceRepository(s),
    groups: groupRepository(s),
    nflog: nflogRepository(s),
    rules: ruleRepository(s),
    ruleStates: ruleStateRepository(s),
  };
}

/** The default route tree by severity (DESIGN.md §6), over the receivers that exist. */
export function defaultRouting(receivers: Set<string>): RoutingConfig {
  const has = (name: string) => receivers.has(name);
  const channels = ['oncall-pagerduty', 'oncall-slack', 'oncall-email', 'oncall-webhook'].filter(has);
  const route = (matcher: string, names: string[]) =>
    names.filter(has).map((receiver) => ({ receiver, matchers: [matcher], continue: true }));
  return {
    route: {
      receiver: 'log-only',
      group_by: ['alertname', 'service'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        ...route('severity="critical"', channels),
        ...route('severity="high"', ['oncall-slack', 'oncall-email']),
        ...route('severity="medium"', ['oncall-slack']),
        ...route('severity="low"', ['oncall-email']),
      ],
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity=~"high|medium|low"'],
        equal: ['alertname', 'service'],
      },
    ],
  };
}

/** The routing in force: the stored document, or the default tree. */
export async function currentRouting(): Promise<{
  config: RoutingConfig;
  root: ResolvedRoute;
  inhibit: InhibitRule[];
}> {
  const repos = alerting();
  const receivers = new Set((await repos.receivers.all()).map((r) => r.name));
  receivers.add('log-only');
  const stored = await repos.routing.get('default');
  const config = stored?.config ?? defaultRouting(receivers);
  try {
    return { config, ...resolveRouting(config, receivers) };
  } catch {
    // A receiver the stored tree names was deleted: fall back rather than drop alerts.
    const fallback = defaultRouting(receivers);
    return { config: fallback, ...resolveRouting(fallback, receivers) };
  }
}

/**
 * Who an email receiver's notifications go to, as a message attribute: its `to` addresses
 * (lower case). Email subscriptions deliver to exactly these (locally by SMTP; on AWS each
 * subscribed address filters on them); without `to`, to the deployment's default recipients.
 */
export function recipientAttributes(receiver: Pick<Receiver, 'type' | 'to'>): Record<string, string[]> {
  if (receiver.type !== 'email' || !receiver.to?.length) return {};
  return { [RECIPIENTS_ATTRIBUTE]: [...new Set(receiver.to.map((a) => a.toLowerCase()))] };
}
