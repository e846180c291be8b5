import type { ManifestPart, RouteRow } from './types';

const INGEST_BODY = 10 * 1024 * 1024 - 1024;
const read = (method: RouteRow['method'], path: string, summary: string): RouteRow => ({
  method,
  path,
  function: 'query',
  scope: 'read',
  summary,
});

/** The metrics domain: four ingest formats, the Prometheus query API, rollups and compaction. */
export const metricsPart: ManifestPart = {
  functions: [
    {
      name: 'compact-metrics',
      kind: 'job',
      entry: 'packages/functions/src/jobs/compact-metrics.ts',
      tables: { metrics: 'readwrite', state: 'readwrite' },
      publishes: [],
      singleton: true,
      timeoutSeconds: 300,
      memoryMb: 1024,
    },
  ],
  routes: [
    {
      method: 'POST',
      path: '/api/v1/metrics',
      function: 'ingest',
      scope: 'ingest',
      maxBodyBytes: INGEST_BODY,
      summary: 'Ingest metrics in Vigil JSON (series with [ms, value] samples)',
    },
    {
      method: 'POST',
      path: '/v1/metrics',
      function: 'ingest',
      scope: 'ingest',
      maxBodyBytes: INGEST_BODY,
      summary: 'Ingest OTLP/HTTP JSON metrics',
    },
    {
      method: 'POST',
      path: '/api/v1/write',
      function: 'ingest',
      scope: 'ingest',
      maxBodyBytes: INGEST_BODY,
      summary: 'Prometheus remote-write 1.0 (snappy protobuf)',
    },
    {
      method: 'POST',
      path: '/api/v1/import/prometheus',
      function: 'ingest',
      scope: 'ingest',
      maxBodyBytes: INGEST_BODY,
      summary: 'Import Prometheus text exposition format 0.0.4',
    },
    read('GET', '/api/v1/query', 'PromQL instant query'),
    read('POST', '/api/v1/query', 'PromQL instant query (form body)'),
    read('GET', '/api/v1/query_range', 'PromQL range query'),
    read('POST', '/api/v1/query_range', 'PromQL range query (form body)'),
    read('GET', '/api/v1/series', 'Series matching selectors'),
    read('POST', '/api/v1/series', 'Series matching selectors (form body)'),
    read('GET', '/api/v1/labels', 'Label names'),
    read('POST', '/api/v1/labels', 'Label names (form body)'),
    read('GET', '/api/v1/label/{name}/values', 'Values of a label'),
    read('GET', '/api/v1/status/buildinfo', 'Build information (Grafana checks it)'),
    read('GET', '/api/v1/metadata', 'Metric metadata'),
    read('GET', '/api/v1/rollups', 'Pre-aggregated 5m/15m/1h/1d rollups of a metric'),
  ],
  schedules: [
    {
      name: 'compact-metrics',
      expression: 'rate(5 minutes)',
      function: 'compact-metrics',
      description: 'Fold metric segments into Gorilla blocks and rollups',
    },
  ],
  subscriptions: [],
};
