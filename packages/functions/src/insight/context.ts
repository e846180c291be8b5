import type { Slo } from '@vigil/core/slo';
import type { Better } from '@vigil/core/trends';
import { StateRepository, type Versioned } from '@vigil/dynamo';
import { platform } from '../platform/context';

export interface Report extends Versioned {
  type: 'executive' | 'performance' | 'trend' | 'usage';
  period: { start: string; end: string };
  generatedAt: string;
  json: Record<string, unknown>;
  markdown: string;
  html: string;
}

export interface AnomalyDetector extends Versioned {
  name: string;
  query: string;
  /** z-score above which a point is anomalous (default 4). */
  sensitivity: number;
  seasonality: 'none' | 'daily' | 'weekly';
  raiseAlert: boolean;
}

export interface Anomaly extends Versioned {
  detector: string;
  series: Record<string, string>;
  at: string;
  value: number;
  expected: { low: number; high: number; median: number };
  score: number;
  severity: 'low' | 'medium' | 'high' | 'critical';
}

/** A metric query rated against a baseline (acceptable) and a target (the goal). */
export interface Benchmark extends Versioned {
  name: string;
  query: string;
  /** Unit of the query's value, for display (`s`, `ratio`, `bytes`). */
  unit: string;
  baseline: number;
  target: number;
  better: Better;
  description: string;
}

export function insight() {
  const s = platform().tables.state;
  return {
    slos: new StateRepository<Slo>(s, { kind: 'slo' }),
    reports: new StateRepository<Report>(s, { kind: 'report', listKey: (r) => `${r.generatedAt}#${r.id}` }),
    benchmarks: new StateRepository<Benchmark>(s, { kind: 'benchmark' }),
    detectors: new StateRepository<AnomalyDetector>(s, { kind: 'anomaly-detector' }),
    anomalies: new StateRepository<Anomaly>(s, {
      kind: 'anomaly',
      listKey: (a) => `${a.at}#${a.id}`,
      expiresAt: (a) => Math.floor(Date.parse(a.at) / 1000) + 90 * 86_400,
    }),
  };
}
