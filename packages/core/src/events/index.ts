/**
 * The typed catalog of what one Vigil domain hands another: alerts posted into the alerting
 * pipeline (from rules, SLO burn rates, anomalies, or Prometheus), alert groups leaving it
 * (to open incidents), and metric series written by Vigil itself.
 */
import type { Sample } from '../metrics/stale';

/** An alert as Alertmanager's API v2 accepts it (`POST /api/v2/alerts`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** RFC 3339; defaults to now. */
  startsAt?: string;
  /** RFC 3339; defaults to now + resolve_timeout (5m) for external alerts. */
  endsAt?: string;
  generatorURL?: string;
}

/** One alert inside a notified group. */
export interface GroupAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

/** An alert group the notification pipeline flushed to a receiver. */
export interface AlertGroupEvent {
  /** Stable key of the group (route + group labels): the incident dedup key. */
  groupKey: string;
  receiver: string;
  status: 'firing' | 'resolved';
  /** The highest severity among the group's firing alerts (critical|high|medium|low|info). */
  severity: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  alerts: GroupAlert[];
  /** When the pipeline flushed it, ms. */
  at: number;
}

/**
 * A metric series as Vigil's native ingest format carries it: samples are [ms, value]
 * (decoders mark Prometheus's staleness markers as `[ms, NaN, STALE]`, see metrics/stale.ts).
 */
export interface SeriesInput {
  name: string;
  labels: Record<string, string>;
  samples: Sample[];
}
