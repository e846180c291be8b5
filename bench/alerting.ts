/**
 * One evaluate-alerts cycle of 1,000 rules over 10,000 series: wall time and read units (the
 * in-memory store charges capacity units by DynamoDB's rules), beside the evaluator that read
 * the store rule by rule (the baseline, measured in the same run on an identical dataset, on a
 * sample of the rules since it takes minutes for all). Goal: ≤ 2 s and ≤ 1 read unit per rule.
 *
 * Data: 100 metrics × 100 series (10 services × 10 instances), half gauges and half counters,
 * scraped every 15 s from the start of the current two-hour window to 40 minutes into it (so
 * its segments hold 40 minutes of samples). The main figure is a warm cycle, one minute after
 * the previous; the first cycle of a fresh process is reported apart.
 * Rules: 10 per metric — per-service thresholds, `avg by`, `max_over_time[5m]`,
 * `sum by (rate[5m])` and `rate[5m]` per service; a few fire.
 */
import { availableParallelism, loadavg } from 'node:os';
import { FixedClock } from '@vigil/core';
import { emptyRuleState, type Rule } from '@vigil/core/alerting';
import { type NormalizedSeries, seriesId } from '@vigil/core/metrics';
import type { ConsumedCapacity, PublishInput, TableStore } from '@vigil/core/ports';
import { evaluateInstant } from '@vigil/core/promql';
import { MemoryTableStore, MetricStore, windowOf } from '@vigil/dynamo';
import { startTestDynamo } from '@vigil/dynamo/testing';
import { configurePlatform, resetPlatform } from '@vigil/functions';
import { alerting } from '../packages/functions/src/alerting/context';
import { receiveAlerts } from '../packages/functions/src/alerting/pipeline';
import { advanceRule } from '../packages/functions/src/alerting/rules';
import { handler } from '../packages/functions/src/jobs/evaluate-alerts';
import { metricStores } from '../packages/functions/src/metrics/context';
import type { Platform } from '../packages/functions/src/platform/context';

/** 40 minutes into a two-hour window: its segments hold 40 minutes of samples. */
const NOW = Date.parse('2026-11-20T12:40:00Z');
const MIN = 60_000;
const METRICS = 100;
const SERVICES = 10;
const INSTANCES = 10;
const SCRAPE_MS = 15_000;
const RULES = METRICS * 10;

/** A small deterministic generator, so both datasets are identical. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function metricName(k: number) {
  return k % 2 === 0 ? `bench_cpu_percent_${k}` : `bench_requests_${k}_total`;
}

function rules(): Rule[] {
  const out: Rule[] = [];
  const at = new Date(NOW - 3_600_000).toISOString();
  const add = (k: number, i: number, expr: string, forDuration = '0s') =>
    out.push({
      id: `r${k}_${i}`,
      name: `Bench${k}_${i}`,
      expr,
      for: forDuration,
      keepFiringFor: '0s',
      severity: 'high',
      labels: { team: `t${k % 7}` },
      annotations: { summary: '{{ $labels.service }} at {{ $value }}' },
      enabled: true,
      runbook: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
  for (let k = 0; k < METRICS; k++) {
    const m = metricName(k);
    if (k % 2 === 0) {
      for (let s = 0; s < 5; s++) add(k, s, `${m}{service="s${s}"} > 95`);
      add(k, 5, `avg by (service) (${m}) > 90`, '5m');
      for (let i = 0; i < 4; i++) add(k, 6 + i, `max_over_time(${m}{instance="i${i}"}[5m]) > 99`);
    } else {
      add(k, 0, `sum by (service) (rate(${m}[5m])) > 1000`);
      for (let s = 0; s < 9; s++) add(k, 1 + s, `rate(${m}{service="s${s}"}[5m]) > 50`, '2m');
    }
  }
  return out;
}

/** A platform over fresh in-memory tables holding the dataset and the rules. */
async function dataset(onDynamo = false) {
  resetPlatform();
  const dynamo = onDynamo ? await startTestDynamo('bench') : undefined;
  if (dynamo) stops.push(dynamo.stop);
  const state = (dynamo?.tables.state ?? new MemoryTableStore('state')) as Metered;
  const metrics = (dynamo?.tables.metrics ?? new MemoryTableStore('metrics')) as Metered;
  const published: PublishInput[] = [];
  const clock = new FixedClock(NOW);
  configurePlatform({
    clock,
    tables: { state, metrics, logs: dynamo?.tables.logs ?? new MemoryTableStore('logs') },
    publisher: {
      publish: async (m) => {
        published.push(m);
        return { messageId: String(published.length) };
      },
      check: async () => undefined,
    },
  });
  const store = new MetricStore(metrics);
  const next = random(42);
  const series: Array<{ id: string; labels: Record<string, string>; value: number; counter: boolean }> = [];
  for (let k = 0; k < METRICS; k++)
    for (let s = 0; s < SERVICES; s++)
      for (let i = 0; i < INSTANCES; i++) {
        const labels = { __name__: metricName(k), service: `s${s}`, instance: `i${i}`, job: 'bench' };
        series.push({ id: seriesId(labels), labels, value: 0, counter: k % 2 === 1 });
      }
  const scrape = async (t: number) => {
    const batch: NormalizedSeries[] = series.map((s) => {
      // Counters grow ~0.3/s; gauges wander below 90, but instance i0 of service s0 of the
      // first few gauges runs hot, so a handful of rules fire.
      const hot =
        !s.counter &&
        s.labels.service === 's0' &&
        s.labels.instance === 'i0' &&
        /_[0-8]$/.test(s.labels.__name__);
      s.value = s.counter ? s.value + Math.floor(next() * 10) : hot ? 97 : Math.round(next() * 900) / 10;
      return { id: s.id, labels: s.labels, samples: [[t, s.value]] };
    });
    await store.write(batch, t);
  };
  for (let t = windowOf(NOW) + SCRAPE_MS; t <= NOW - MIN; t += SCRAPE_MS) await scrape(t);
  const repos = alerting();
  for (const rule of rules()) await repos.rules.create(rule);
  // The last minute's scrapes, written between the warm-up cycle and the measured one.
  const lastMinute = async () => {
    for (let t = NOW - MIN + SCRAPE_MS; t <= NOW; t += SCRAPE_MS) await scrape(t);
  };
  return { state, metrics, published, clock, lastMinute };
}

/** The evaluator before batching, kept as the baseline: each rule reads the store on its own. */
async function evaluateRuleByRule(platform: Platform, now: number, sample: number) {
  const repos = alerting();
  const rules = (await repos.rules.all()).filter((r) => r.enabled).slice(0, sample);
  for (const rule of rules) {
    const started = performance.now();
    const previous = (await repos.ruleStates.get(rule.id)) ?? {
      ...emptyRuleState(rule.id),
      id: rule.id,
      version: 0,
    };
    try {
      const result = await evaluateInstant(rule.expr, metricStores().querier, now);
      const { step, alerts } = advanceRule(rule, result, previous, now);
      if (alerts.length) await receiveAlerts(platform, alerts, now, `rule:${rule.id}`);
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
}

const progress = (what: string) =>
  process.env.BENCH_VERBOSE && process.stderr.write(`${new Date().toISOString()} ${what}\n`);

/** A table that counts the capacity units it consumed (in memory by DynamoDB's rules, or as DynamoDB reports them). */
type Metered = TableStore & { consumed(): ConsumedCapacity };
const stops: Array<() => Promise<void>> = [];

/** Read units and wall time of one call. */
async function measure<R>(tables: Metered[], work: () => Promise<R>) {
  const units = () => tables.reduce((n, t) => n + t.consumed().readUnits, 0);
  const before = units();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return {
    ms: Math.round(performance.now() - started),
    cpuMs: Math.round((used.user + used.system) / 1000),
    readUnits: units() - before,
    result,
  };
}

async function batchedCycles(onDynamo = false) {
  progress(`building the dataset${onDynamo ? ' in dynalite' : ''}`);
  const { state, metrics, clock, lastMinute } = await dataset(onDynamo);
  const run = (at: number) => {
    clock.set(at);
    return handler({ time: new Date(at).toISOString() } as never);
  };
  // The first cycle of a fresh process reads the whole open window; later ones only what is new.
  progress('cold cycle');
  const cold = await measure([state, metrics], () => run(NOW - MIN));
  await lastMinute();
  progress('warm cycle');
  const warm = await measure([state, metrics], () => run(NOW));
  const ruleStates = await alerting().ruleStates.all();
  const perRule = (units: number) => Math.round((units / RULES) * 1000) / 1000;
  return {
    ms: warm.ms,
    cpuMs: warm.cpuMs,
    readUnits: warm.readUnits,
    readUnitsPerRule: perRule(warm.readUnits),
    firing: ruleStates.filter((s) => Object.values(s.instances).some((i) => i.state === 'firing')).length,
    errors: ruleStates.filter((s) => s.health === 'err').length,
    job: warm.result,
    coldCycle: {
      ms: cold.ms,
      cpuMs: cold.cpuMs,
      readUnits: cold.readUnits,
      readUnitsPerRule: perRule(cold.readUnits),
    },
  };
}

/** The old evaluator on the first few rules (it takes minutes for all): per rule, then × 1,000. */
async function baselineCycle(sample: number) {
  progress('building the baseline dataset');
  const { state, metrics, clock, lastMinute } = await dataset();
  await lastMinute();
  clock.set(NOW);
  progress('baseline rules');
  const { platform } = await import('../packages/functions/src/platform/context');
  const m = await measure([state, metrics], () => evaluateRuleByRule(platform(), NOW, sample));
  return {
    evaluator: 'rule by rule, as before this change',
    measuredRules: sample,
    readUnitsPerRule: Math.round((m.readUnits / sample) * 1000) / 1000,
    msPerRule: Math.round((m.ms / sample) * 10) / 10,
    projectedCycle: {
      ms: Math.round((m.ms / sample) * RULES),
      readUnits: Math.round((m.readUnits / sample) * RULES),
    },
  };
}

const cycle = await batchedCycles();
const baseline = await baselineCycle(Number(process.env.BENCH_BASELINE_RULES ?? 20));
// With BENCH_ALERTING_DYNALITE=1, the same cycles once more through the DynamoDB table store
// against dynalite, counting the capacity it reports (ReturnConsumedCapacity).
const onDynalite = process.env.BENCH_ALERTING_DYNALITE === '1' ? await batchedCycles(true) : undefined;
for (const stop of stops) await stop();
console.log(
  JSON.stringify({
    bench: 'alerting',
    what: 'one evaluate-alerts cycle (warm): 1,000 rules over 10,000 series scraped every 15 s, 40 min into a 2 h window, in-memory table charging DynamoDB capacity',
    cycle,
    baseline,
    ...(onDynalite && { onDynalite }),
    // Wall time depends on what else runs on the machine: its load average, and the CPU time.
    loadAverage: Math.round(loadavg()[0] * 10) / 10,
    cores: availableParallelism(),
    goal: '≤ 2 s and ≤ 1 read unit per rule',
    met: cycle.ms <= 2000 && cycle.readUnitsPerRule <= 1,
  }),
);
