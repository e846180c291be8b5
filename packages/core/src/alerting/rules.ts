import type { AlertSeverity } from './alert';
import { fingerprint } from './matchers';

/** An alerting rule, Prometheus-style. */
export interface Rule {
  id: string;
  name: string;
  expr: string;
  /** How long a condition must hold before firing (Prometheus `for`). */
  for: string;
  /** How long to keep firing after the condition clears (Prometheus `keep_firing_for`). */
  keepFiringFor: string;
  severity: AlertSeverity;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  enabled: boolean;
  runbook: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** One output label set of a rule, as the evaluator tracks it between runs. */
export interface RuleInstance {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: number;
  firedAt: number | null;
  lastSeenAt: number;
  value: number;
}

/** A rule's evaluation state, kept apart from its definition so edits never race with the job. */
export interface RuleState {
  ruleId: string;
  instances: Record<string, RuleInstance>;
  health: 'ok' | 'err' | 'unknown';
  lastError: string;
  lastEvaluation: number | null;
  evaluationTimeMs: number;
}

export const emptyRuleState = (ruleId: string): RuleState => ({
  ruleId,
  instances: {},
  health: 'unknown',
  lastError: '',
  lastEvaluation: null,
  evaluationTimeMs: 0,
});

/** Expands `{{ $labels.name }}`, `{{ $value }}` and `{{ humanize $value }}` in annotations. */
export function expandTemplate(text: string, labels: Record<string, string>, value: number): string {
  return text.replace(
    /\{\{\s*(humanize\s+)?\$(labels\.([a-zA-Z_][a-zA-Z0-9_]*)|value)\s*\}\}/g,
    (_, humanize, what, label) => {
      if (label) return labels[label] ?? '';
      if (humanize) return humanizeNumber(value);
      return String(value);
    },
  );
}

function humanizeNumber(v: number): string {
  if (!Number.isFinite(v) || v === 0) return String(v);
  const units = ['', 'k', 'M', 'G', 'T', 'P'];
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${Number(x.toPrecision(4))}${units[i]}`;
}

/** What one evaluation changed: the alerts to send as firing, and those now resolved. */
export interface RuleStep {
  state: RuleState;
  firing: RuleInstance[];
  resolved: RuleInstance[];
}

/**
 * Advances a rule's instances with one evaluation's result (Prometheus semantics):
 * inactive → pending → firing after `for`; firing stays while seen or within
 * `keep_firing_for`; otherwise resolved. Pending instances that vanish are dropped silently.
 */
export function stepRule(
  rule: Pick<Rule, 'id' | 'name' | 'severity' | 'labels' | 'annotations' | 'runbook'>,
  forMs: number,
  keepFiringForMs: number,
  samples: Array<{ labels: Record<string, string>; value: number }>,
  previous: RuleState,
  now: number,
): RuleStep {
  const instances: Record<string, RuleInstance> = {};
  const firing: RuleInstance[] = [];
  const resolved: RuleInstance[] = [];
  for (const sample of samples) {
    const { __name__: _, ...rest } = sample.labels;
    const labels = { ...rest, ...rule.labels, alertname: rule.name, severity: rule.severity };
    const fp = fingerprint(labels);
    const annotations = Object.fromEntries(
      Object.entries(rule.annotations).map(([k, v]) => [k, expandTemplate(v, labels, sample.value)]),
    );
    if (rule.runbook && !annotations.runbook_url) annotations.runbook_url = rule.runbook;
    const before = previous.instances[fp];
    const activeAt = before?.activeAt ?? now;
    const isFiring = before?.state === 'firing' || now - activeAt >= forMs;
    const instance: RuleInstance = {
      fingerprint: fp,
      labels,
      annotations,
      state: isFiring ? 'firing' : 'pending',
      activeAt,
      firedAt: isFiring ? (before?.firedAt ?? now) : null,
      lastSeenAt: now,
      value: sample.value,
    };
    instances[fp] = instance;
    if (isFiring) firing.push(instance);
  }
  for (const [fp, before] of Object.entries(previous.instances)) {
    if (instances[fp] || before.state !== 'firing') continue;
    if (now - before.lastSeenAt < keepFiringForMs) {
      instances[fp] = before;
      firing.push(before);
    } else resolved.push(before);
  }
  return { state: { ...previous, instances }, firing, resolved };
}
