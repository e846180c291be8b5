import { randomUUID } from 'node:crypto';
import { parseDuration } from '@vigil/core';
import { ALERT_SEVERITIES, type Rule } from '@vigil/core/alerting';
import { parsePromQL } from '@vigil/core/promql';
import * as z from 'zod';
import { alerting } from '../../alerting/context';
import { EVALUATION_INTERVAL_MS } from '../../alerting/rules';
import { route } from '../toolkit/index';

const Duration = (field: string) =>
  z.string().refine((s) => {
    try {
      parseDuration(s, field);
      return true;
    } catch {
      return false;
    }
  }, 'a duration such as 30s, 5m or 1h');
const RuleBody = z.strictObject({
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'an alert name is an identifier such as HighErrorRate'),
  expr: z.string().min(1).max(10_000),
  for: Duration('for').default('0s'),
  keep_firing_for: Duration('keep_firing_for').default('0s'),
  severity: z.enum(ALERT_SEVERITIES),
  labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string().max(1024)).default({}),
  annotations: z.record(z.string(), z.string().max(16_384)).default({}),
  enabled: z.boolean().default(true),
  runbook: z.string().max(500).nullable().optional(),
});
const Id = z.object({ id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a rule id') });

function toRule(
  body: z.infer<typeof RuleBody>,
  id: string,
  now: number,
  createdAt?: string,
): Omit<Rule, 'version'> {
  parsePromQL(body.expr);
  const at = new Date(now).toISOString();
  return {
    id,
    name: body.name,
    expr: body.expr,
    for: body.for,
    keepFiringFor: body.keep_firing_for,
    severity: body.severity,
    labels: body.labels,
    annotations: body.annotations,
    enabled: body.enabled,
    runbook: body.runbook ?? null,
    createdAt: createdAt ?? at,
    updatedAt: at,
  };
}

/** A rule in Prometheus's /api/v1/rules shape, with Vigil's fields beside. */
async function ruleView(rule: Rule, _now: number) {
  const state = await alerting().ruleStates.get(rule.id);
  const instances = Object.values(state?.instances ?? {});
  const ruleState = instances.some((i) => i.state === 'firing')
    ? 'firing'
    : instances.length
      ? 'pending'
      : 'inactive';
  return {
    id: rule.id,
    name: rule.name,
    query: rule.expr,
    duration: parseDuration(rule.for) / 1000,
    keepFiringFor: parseDuration(rule.keepFiringFor) / 1000,
    labels: { ...rule.labels, severity: rule.severity },
    annotations: rule.annotations,
    alerts: instances.map((i) => ({
      labels: i.labels,
      annotations: i.annotations,
      state: i.state,
      activeAt: new Date(i.activeAt).toISOString(),
      value: String(i.value),
    })),
    health: rule.enabled ? (state?.health ?? 'unknown') : 'unknown',
    lastError: state?.lastError ?? '',
    lastEvaluation: state?.lastEvaluation
      ? new Date(state.lastEvaluation).toISOString()
      : '0001-01-01T00:00:00Z',
    evaluationTime: (state?.evaluationTimeMs ?? 0) / 1000,
    type: 'alerting',
    state: rule.enabled ? ruleState : 'inactive',
    enabled: rule.enabled,
    severity: rule.severity,
    runbook: rule.runbook,
    version: rule.version,
  };
}

/** /api/v1/rules: CRUD, enable/disable, and Prometheus's rules listing. */
export const ruleRoutes = {
  'POST /api/v1/rules': route({
    body: RuleBody,
    handle: async ({ body, now }) => {
      const rule = await alerting().rules.create(toRule(body, `rule_${randomUUID().slice(0, 12)}`, now));
      return { status: 201, body: await ruleView(rule, now) };
    },
  }),
  'GET /api/v1/rules': route({
    handle: async ({ now }) => {
      const rules = await alerting().rules.all();
      const views = await Promise.all(rules.map((r) => ruleView(r, now)));
      return {
        body: {
          status: 'success',
          data: {
            groups: [{ name: 'vigil', file: 'vigil', interval: EVALUATION_INTERVAL_MS / 1000, rules: views }],
          },
        },
      };
    },
  }),
  'GET /api/v1/rules/{id}': route({
    params: Id,
    handle: async ({ params, now }) => ({
      body: await ruleView(await alerting().rules.require(params.id), now),
    }),
  }),
  'PUT /api/v1/rules/{id}': route({
    params: Id,
    body: RuleBody,
    handle: async ({ params, body, now }) => {
      const updated = await alerting().rules.update(params.id, (r) => ({
        ...toRule(body, r.id, now, r.createdAt),
        version: r.version,
      }));
      return { body: await ruleView(updated, now) };
    },
  }),
  'PATCH /api/v1/rules/{id}': route({
    params: Id,
    body: z.strictObject({ enabled: z.boolean() }),
    handle: async ({ params, body, now }) => {
      const updated = await alerting().rules.update(params.id, (r) => ({
        ...r,
        enabled: body.enabled,
        updatedAt: new Date(now).toISOString(),
      }));
      return { body: await ruleView(updated, now) };
    },
  }),
  'DELETE /api/v1/rules/{id}': route({
    params: Id,
    handle: async ({ params }) => {
      await alerting().rules.require(params.id);
      await alerting().rules.delete(params.id);
      await alerting().ruleStates.delete(params.id);
      return { status: 204 };
    },
  }),
};
