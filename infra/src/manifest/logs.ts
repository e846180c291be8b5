import type { ManifestPart } from './types';

const INGEST_BODY = 10 * 1024 * 1024 - 1024;

/** The logs domain: four ingest formats (the fourth a CloudWatch Logs subscription destination), search, histogram, live tail, streams, retention, chunk compaction and the Loki query API. */
export const logsPart: ManifestPart = {
  functions: [
    {
      name: 'compact-logs',
      kind: 'job',
      entry: 'packages/functions/src/logs/compact.ts',
      tables: { logs: 'readwrite', state: 'readwrite' },
      publishes: [],
      singleton: true,
      timeoutSeconds: 300,
      memoryMb: 1024,
    },
    {
      // `aws logs put-subscription-filter --destination-arn <its ARN>` sends a log group here.
      name: 'ingest-cloudwatch-logs',
      kind: 'log-subscriber',
      entry: 'packages/functions/src/logs/cloudwatch.ts',
      tables: { logs: 'readwrite', metrics: 'readwrite' },
      publishes: [],
      timeoutSeconds: 60,
      memoryMb: 512,
    },
  ],
  routes: [
    {
      method: 'POST',
      path: '/api/v1/logs',
      function: 'ingest',
      scope: 'ingest',
      summary: 'Ingest logs as a JSON array or NDJSON',
      maxBodyBytes: INGEST_BODY,
    },
    {
      method: 'POST',
      path: '/v1/logs',
      function: 'ingest',
      scope: 'ingest',
      summary: 'Ingest OTLP/HTTP JSON logs',
      maxBodyBytes: INGEST_BODY,
    },
    {
      method: 'POST',
      path: '/loki/api/v1/push',
      function: 'ingest',
      scope: 'ingest',
      summary: 'Loki push (JSON)',
      maxBodyBytes: INGEST_BODY,
    },
    {
      method: 'GET',
      path: '/api/v1/logs/search',
      function: 'query',
      scope: 'read',
      summary: 'Search logs: service, level, text, regex, fields, trace/request id, time',
    },
    {
      method: 'GET',
      path: '/api/v1/logs/histogram',
      function: 'query',
      scope: 'read',
      summary: 'Counts per level per time bucket for a search',
    },
    {
      method: 'GET',
      path: '/api/v1/logs/tail',
      function: 'query',
      scope: 'read',
      summary: 'Live tail: server-sent events, or a long poll with cursor and wait',
      streaming: true,
    },
    {
      method: 'GET',
      path: '/api/v1/logs/streams',
      function: 'query',
      scope: 'read',
      summary: 'Streams with record counts, bytes and newest record',
    },
    {
      method: 'GET',
      path: '/api/v1/logs/retention',
      function: 'query',
      scope: 'read',
      summary: 'Log retention per service',
    },
    {
      method: 'PUT',
      path: '/api/v1/logs/retention',
      function: 'query',
      scope: 'write',
      summary: 'Set the log retention of a service',
    },
    {
      method: 'GET',
      path: '/loki/api/v1/query_range',
      function: 'query',
      scope: 'read',
      summary: 'Loki range query (stream selector, line filters, json)',
    },
    {
      method: 'GET',
      path: '/loki/api/v1/query',
      function: 'query',
      scope: 'read',
      summary: 'Loki instant query',
    },
    {
      method: 'GET',
      path: '/loki/api/v1/labels',
      function: 'query',
      scope: 'read',
      summary: 'Loki label names',
    },
    {
      method: 'GET',
      path: '/loki/api/v1/label/{name}/values',
      function: 'query',
      scope: 'read',
      summary: 'Loki label values',
    },
  ],
  schedules: [
    {
      name: 'compact-logs',
      expression: 'rate(1 hour)',
      function: 'compact-logs',
      description: 'Merge the small log chunks of small ingest requests into full ones',
    },
  ],
  subscriptions: [],
};
