import type { FunctionRow } from './types';

const http = (
  name: string,
  tables: FunctionRow['tables'],
  publishes: FunctionRow['publishes'] = [],
): FunctionRow => ({
  name,
  kind: 'http',
  entry: `packages/functions/src/http/${name}.ts`,
  tables,
  publishes,
});

/**
 * The authorizer and one function per route group (DESIGN.md §7). Jobs and channel functions
 * are declared by the domain that owns them.
 */
export const functions: FunctionRow[] = [
  {
    name: 'authorizer',
    kind: 'authorizer',
    entry: 'packages/functions/src/http/authorizer.ts',
    tables: { state: 'read' },
    publishes: [],
    memoryMb: 256,
  },
  http('health', { state: 'read', metrics: 'read', logs: 'read' }, ['notifications']),
  http('admin', { state: 'readwrite' }),
  http('ingest', { state: 'readwrite', metrics: 'readwrite', logs: 'readwrite' }),
  // logs readwrite: PUT /api/v1/logs/retention sets a service's retention and re-dates its chunks.
  http('query', { state: 'readwrite', metrics: 'read', logs: 'readwrite' }),
  http('alerts', { state: 'readwrite', metrics: 'read' }, ['notifications']),
  http('incidents', { state: 'readwrite' }, ['notifications']),
  http('insights', { state: 'readwrite', metrics: 'read', logs: 'read' }, ['notifications']),
];
