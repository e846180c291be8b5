import type { TableRow, TopicRow } from './types';

const indexes = [
  { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
] as const satisfies TableRow['indexes'];

export const tables: TableRow[] = [
  {
    name: 'state',
    partitionKey: 'PK',
    sortKey: 'SK',
    indexes: [...indexes],
    ttlAttribute: 'expiresAt',
    description:
      'Single-table state: keys, rules, alerts, silences, incidents, schedules, SLOs, reports, heartbeats',
  },
  {
    name: 'metrics',
    partitionKey: 'PK',
    sortKey: 'SK',
    indexes: [...indexes],
    ttlAttribute: 'expiresAt',
    description: 'Metric segments, per-series blocks, rollups and the series index',
  },
  {
    name: 'logs',
    partitionKey: 'PK',
    sortKey: 'SK',
    indexes: [...indexes],
    ttlAttribute: 'expiresAt',
    description: 'Gzip log chunks with their index items and stream statistics',
  },
];

export const topics: TopicRow[] = [
  {
    name: 'notifications',
    description: 'Alert, incident and report notifications fanned out to channels by filter policy',
  },
  { name: 'operations', description: "Vigil's own operational alarms (dead letters, errors, throttles)" },
];
