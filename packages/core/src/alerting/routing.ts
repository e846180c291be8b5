import { parseDuration, ValidationError } from '../index';
import { allMatch, type Matcher, parseMatcher } from './matchers';

/** A route of the tree as users write it (Alertmanager's key names). */
export interface RouteConfig {
  receiver?: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  matchers?: string[];
  continue?: boolean;
  routes?: RouteConfig[];
}

export interface InhibitRuleConfig {
  source_matchers: string[];
  target_matchers: string[];
  equal?: string[];
}

export interface RoutingConfig {
  route: RouteConfig;
  inhibit_rules?: InhibitRuleConfig[];
}

/** A route with its settings inherited from its parents, ready to match. */
export interface ResolvedRoute {
  id: string;
  receiver: string;
  groupBy: string[] | 'all';
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  matchers: Matcher[];
  continue: boolean;
  children: ResolvedRoute[];
}

export interface InhibitRule {
  source: Matcher[];
  target: Matcher[];
  equal: string[];
}

const DEFAULTS = { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' };

/**
 * Checks and resolves a routing configuration: every route gets a receiver (inherited), its
 * timers as ms, parsed matchers; every receiver it names must exist.
 * @throws ValidationError naming the path of the wrong field (`route.routes.1.group_wait`).
 */
export function resolveRouting(
  config: RoutingConfig,
  receivers: Set<string>,
): { root: ResolvedRoute; inhibit: InhibitRule[] } {
  const resolve = (
    r: RouteConfig,
    parent: ResolvedRoute | undefined,
    path: string,
    id: string,
  ): ResolvedRoute => {
    const receiver = r.receiver ?? parent?.receiver;
    if (!receiver)
      throw new ValidationError('the root route needs a receiver', [
        { field: `${path}.receiver`, message: 'required on the root route' },
      ]);
    if (!receivers.has(receiver))
      throw new ValidationError(`receiver '${receiver}' does not exist`, [
        { field: `${path}.receiver`, message: 'create it with POST /api/v1/receivers first' },
      ]);
    const ms = (key: keyof typeof DEFAULTS, inherited: number | undefined) => {
      const text = r[key];
      if (text === undefined) return inherited ?? parseDuration(DEFAULTS[key]);
      return parseDuration(text, `${path}.${key}`);
    };
    const groupBy = r.group_by ? (r.group_by.includes('...') ? 'all' : r.group_by) : (parent?.groupBy ?? []);
    const node: ResolvedRoute = {
      id,
      receiver,
      groupBy,
      groupWaitMs: ms('group_wait', parent?.groupWaitMs),
      groupIntervalMs: ms('group_interval', parent?.groupIntervalMs),
      repeatIntervalMs: ms('repeat_interval', parent?.repeatIntervalMs),
      matchers: (r.matchers ?? []).map((m, i) => parseMatcher(m, `${path}.matchers.${i}`)),
      continue: Boolean(r.continue),
      children: [],
    };
    if (node.groupIntervalMs <= 0)
      throw new ValidationError('group_interval must be positive', [
        { field: `${path}.group_interval`, message: 'must be > 0' },
      ]);
    if (node.repeatIntervalMs <= 0)
      throw new ValidationError('repeat_interval must be positive', [
        { field: `${path}.repeat_interval`, message: 'must be > 0' },
      ]);
    node.children = (r.routes ?? []).map((child, i) =>
      resolve(child, node, `${path}.routes.${i}`, `${id}.${i}`),
    );
    return node;
  };
  if (config.route.matchers?.length)
    throw new ValidationError('the root route must match every alert', [
      { field: 'route.matchers', message: 'not allowed on the root route' },
    ]);
  const root = resolve(config.route, undefined, 'route', '0');
  const inhibit = (config.inhibit_rules ?? []).map((rule, i) => ({
    source: rule.source_matchers.map((m, j) => parseMatcher(m, `inhibit_rules.${i}.source_matchers.${j}`)),
    target: rule.target_matchers.map((m, j) => parseMatcher(m, `inhibit_rules.${i}.target_matchers.${j}`)),
    equal: rule.equal ?? [],
  }));
  return { root, inhibit };
}

/**
 * The routes an alert goes to, as Alertmanager matches: depth first; a matching child is
 * followed instead of its parent; `continue` lets matching go on to the next sibling.
 */
export function matchRoutes(node: ResolvedRoute, labels: Record<string, string>): ResolvedRoute[] {
  if (!allMatch(node.matchers, labels)) return [];
  const out: ResolvedRoute[] = [];
  for (const child of node.children) {
    const matched = matchRoutes(child, labels);
    if (!matched.length) continue;
    out.push(...matched);
    if (!child.continue) break;
  }
  return out.length ? out : [node];
}

/** Finds a resolved route by id. */
export function findRoute(node: ResolvedRoute, id: string): ResolvedRoute | undefined {
  if (node.id === id) return node;
  for (const child of node.children) {
    const found = findRoute(child, id);
    if (found) return found;
  }
  return undefined;
}

/** The group labels of an alert under a route; a group_by label the alert lacks is left out. */
export function groupLabels(route: ResolvedRoute, labels: Record<string, string>): Record<string, string> {
  if (route.groupBy === 'all') return { ...labels };
  const out: Record<string, string> = {};
  for (const name of route.groupBy) if (labels[name] !== undefined) out[name] = labels[name];
  return out;
}

/** The key of an alert group: the route and its group labels, as Alertmanager forms it. */
export function groupKey(route: ResolvedRoute, group: Record<string, string>): string {
  const body = Object.keys(group)
    .sort()
    .map((k) => `${k}=${JSON.stringify(group[k])}`)
    .join(',');
  return `{}/${route.id}:{${body}}`;
}

/** Whether a target alert is inhibited by a firing source alert (itself excluded). */
export function inhibitedBy(
  rules: InhibitRule[],
  target: { fingerprint: string; labels: Record<string, string> },
  firing: Array<{ fingerprint: string; labels: Record<string, string> }>,
): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    if (!allMatch(rule.target, target.labels)) continue;
    for (const source of firing) {
      if (source.fingerprint === target.fingerprint || !allMatch(rule.source, source.labels)) continue;
      if (rule.equal.every((l) => (source.labels[l] ?? '') === (target.labels[l] ?? '')))
        out.push(source.fingerprint);
    }
  }
  return [...new Set(out)];
}
