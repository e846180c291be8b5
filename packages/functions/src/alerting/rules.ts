import { parseDuration } from '@vigil/core';
import { emptyRuleState, type Rule, type RuleStep, stepRule } from '@vigil/core/alerting';
import type { PostableAlert } from '@vigil/core/events';
import { type Expr, evaluateInstant, parsePromQL, type Querier } from '@vigil/core/promql';
import {
  MAX_TRANSITIONS,
  MetricWindow,
  type RuleStateItem,
  type RuleTransition,
  SegmentCache,
  type SelectRequest,
  TRANSITION_WINDOW_MS,
} from '@vigil/dynamo';
import { metricStores } from '../metrics/context';
import type { Platform } from '../platform/context';
import { alerting } from './context';
import { receiveAlerts } from './pipeline';

/** Rules evaluate every minute; Prometheus keeps a firing alert valid for 4 intervals. */
export const EVALUATION_INTERVAL_MS = 60_000;

/**
 * Advances one rule's instances by its evaluation result, and returns the new step with the
 * firing (valid for 4 intervals) and resolved alerts to send.
 */
export function advanceRule(
  rule: Rule,
  result: Awaited<ReturnType<typeof evaluateInstant>>,
  previous: RuleStateItem,
  now: number,
): { step: RuleStep; alerts: PostableAlert[] } {
  const samples =
    result.resultType === 'vector'
      ? result.vector
      : result.resultType === 'scalar'
        ? [{ labels: {}, value: result.value }]
        : [];
  const step = stepRule(
    rule,
    parseDuration(rule.for || '0s'),
    parseDuration(rule.keepFiringFor || '0s'),
    samples,
    previous,
    now,
  );
  const validUntil = now + 4 * EVALUATION_INTERVAL_MS;
  const alerts = [
    ...step.firing.map((i) => ({
      labels: i.labels,
      annotations: i.annotations,
      startsAt: new Date(i.firedAt ?? now).toISOString(),
      endsAt: new Date(validUntil).toISOString(),
      generatorURL: `/api/v1/rules/${rule.id}`,
    })),
    ...step.resolved.map((i) => ({
      labels: i.labels,
      annotations: i.annotations,
      startsAt: new Date(i.firedAt ?? i.activeAt).toISOString(),
      endsAt: new Date(now).toISOString(),
      generatorURL: `/api/v1/rules/${rule.id}`,
    })),
  ];
  return { step, alerts };
}

/**
 * Evaluates every enabled rule at `now`, advancing its instances and sending firing and
 * resolved alerts into the pipeline. A rule that fails records its error and the others go on.
 */
export async function evaluateRules(
  platform: Platform,
  now: number,
): Promise<{ rules: number; firing: number; errors: number }> {
  const repos = alerting();
  const rules = (await repos.rules.all()).filter((r) => r.enabled);
  // One read for every rule's state: the job is a singleton a minute apart from its last writes.
  const states = new Map((await repos.ruleStates.all()).map((s) => [s.id, s]));
  const parsed = new Map<string, Expr>();
  for (const rule of rules) {
    try {
      parsed.set(rule.id, parsePromQL(rule.expr));
    } catch {
      // reported when the rule is evaluated
    }
  }
  const window = await loadWindow([...parsed.values()], now);
  let firingCount = 0;
  let errors = 0;
  const writes: RuleStateItem[] = [];
  for (const rule of rules) {
    const started = performance.now();
    const previous = states.get(rule.id) ?? {
      ...emptyRuleState(rule.id),
      id: rule.id,
      version: 0,
    };
    try {
      const result = await evaluateInstant(parsed.get(rule.id) ?? rule.expr, window, now);
      const { step, alerts } = advanceRule(rule, result, previous, now);
      if (alerts.length) await receiveAlerts(platform, alerts, now, `rule:${rule.id}`);
      firingCount += step.firing.length;
      const transitions = recordTransitions(previous, step, now);
      writes.push({
        ...step.state,
        transitions: transitions.length ? transitions : undefined,
        id: rule.id,
        health: 'ok',
        lastError: '',
        lastEvaluation: now,
        evaluationTimeMs: performance.now() - started,
        version: previous.version + 1,
      });
    } catch (error) {
      errors++;
      writes.push({
        ...previous,
        id: rule.id,
        health: 'err',
        lastError: (error as Error).message,
        lastEvaluation: now,
        evaluationTimeMs: performance.now() - started,
        version: previous.version + 1,
      });
    }
  }
  await writeStates(writes);
  return { rules: rules.length, firing: firingCount, errors };
}

/**
 * The rule's transitions after this step: each alert that starts firing or resolves adds one,
 * those older than the window are dropped, and only the newest are kept.
 */
export function recordTransitions(previous: RuleStateItem, step: RuleStep, now: number): RuleTransition[] {
  const kept = (previous.transitions ?? []).filter(([at]) => at > now - TRANSITION_WINDOW_MS);
  const changes: RuleTransition[] = [
    ...step.firing
      .filter((i) => previous.instances[i.fingerprint]?.state !== 'firing')
      .map((i): RuleTransition => [now, i.fingerprint, 'firing']),
    ...step.resolved.map((i): RuleTransition => [now, i.fingerprint, 'resolved']),
  ];
  return [...kept, ...changes].slice(-MAX_TRANSITIONS);
}

/** How many rule states are written at once: a cycle must not take a round trip per rule. */
const PARALLEL_WRITES = 16;

/** Writes every rule's new state; a failed write fails the job (after the others are written). */
async function writeStates(states: RuleStateItem[]): Promise<void> {
  const repos = alerting();
  const failed: unknown[] = [];
  for (let i = 0; i < states.length; i += PARALLEL_WRITES) {
    const results = await Promise.allSettled(
      states.slice(i, i + PARALLEL_WRITES).map((s) => repos.ruleStates.upsert(s)),
    );
    for (const r of results) if (r.status === 'rejected') failed.push(r.reason);
  }
  if (failed.length)
    throw new AggregateError(failed, `${failed.length} of ${states.length} rule states not written`);
}

/** Segments of open windows already read, kept while this process (a warm Lambda) lives. */
let segmentCache: SegmentCache | undefined;

/**
 * Reads the samples of every rule's selectors in one pass. Each expression is first evaluated
 * against a querier that only records what it asks for (the engine asks for every selector
 * up front); a rule whose expression fails is left to fail on its own when evaluated.
 */
async function loadWindow(exprs: Expr[], now: number): Promise<Querier> {
  const requests: SelectRequest[] = [];
  const recorder: Querier = {
    select: async (matchers, start, end) => {
      requests.push({ matchers, start, end });
      return [];
    },
  };
  for (const expr of exprs) {
    try {
      await evaluateInstant(expr, recorder, now);
    } catch {
      // reported when the rule is evaluated
    }
  }
  const { store } = metricStores();
  if (segmentCache?.table !== store.table) segmentCache = new SegmentCache(store.table);
  segmentCache.observe(now);
  return MetricWindow.load(store, requests, segmentCache);
}

export type { Rule };
