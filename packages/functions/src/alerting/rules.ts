import { parseDuration } from '@vigil/core';
import { emptyRuleState, type Rule, stepRule } from '@vigil/core/alerting';
import { evaluateInstant } from '@vigil/core/promql';
import { metricStores } from '../metrics/context';
import type { Platform } from '../platform/context';
import { alerting } from './context';
import { receiveAlerts } from './pipeline';

/** Rules evaluate every minute; Prometheus keeps a firing alert valid for 4 intervals. */
export const EVALUATION_INTERVAL_MS = 60_000;

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
  let firingCount = 0;
  let errors = 0;
  for (const rule of rules) {
    const started = performance.now();
    const previous = (await repos.ruleStates.get(rule.id)) ?? {
      ...emptyRuleState(rule.id),
      id: rule.id,
      version: 0,
    };
    try {
      const result = await evaluateInstant(rule.expr, metricStores().querier, now);
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
      if (alerts.length) await receiveAlerts(platform, alerts, now, `rule:${rule.id}`);
      firingCount += step.firing.length;
      await repos.ruleStates.upsert({
        ...step.state,
        id: rule.id,
        health: 'ok',
        lastError: '',
        lastEvaluation: now,
        evaluationTimeMs: performance.now() - started,
        version: previous.version + 1,
      });
    } catch (error) {
      errors++;
      await repos.ruleStates.upsert({
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
  return { rules: rules.length, firing: firingCount, errors };
}

export type { Rule };
