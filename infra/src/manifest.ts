/**
 * The platform as data: tables, topics, functions, HTTP routes, schedules and subscriptions.
 * CDK (`platform.ts`) and the local runtime both map over these rows, so nothing is declared
 * twice. Each domain contributes a part in `manifest/`; this file only concatenates them.
 * Imports nothing but types and plain data, so anything may read it.
 */
import { alertingPart } from './manifest/alerting';
import { functions } from './manifest/functions';
import { incidentsPart } from './manifest/incidents';
import { insightPart } from './manifest/insight';
import { logsPart } from './manifest/logs';
import { metricsPart } from './manifest/metrics';
import { platformPart } from './manifest/platform';
import { tables, topics } from './manifest/tables';
import type { Manifest, ManifestPart, RouteRow } from './manifest/types';

export { emailRecipientFilter, emailSubscriptions, RECIPIENTS_ATTRIBUTE } from './manifest/alerting';
export type * from './manifest/types';
export { SCOPES } from './manifest/types';

const parts: ManifestPart[] = [platformPart, metricsPart, logsPart, alertingPart, incidentsPart, insightPart];

export const manifest: Manifest = {
  tables,
  topics,
  functions: [...functions, ...parts.flatMap((p) => p.functions ?? [])],
  routes: parts.flatMap((p) => p.routes ?? []),
  schedules: parts.flatMap((p) => p.schedules ?? []),
  subscriptions: parts.flatMap((p) => p.subscriptions ?? []),
};

/** `GET /api/v1/keys` — the API Gateway route key of a row. */
export function routeKey(route: Pick<RouteRow, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** The environment variable carrying a table's physical name. */
export function tableEnv(name: string): string {
  return `VIGIL_TABLE_${name.toUpperCase()}`;
}

/** The environment variable carrying a topic's ARN. */
export function topicEnv(name: string): string {
  return `VIGIL_TOPIC_${name.toUpperCase()}_ARN`;
}
