import { ValidationError } from '@vigil/core';
import {
  allMatch,
  inhibitedBy,
  isFiring,
  matchRoutes,
  parseMatcher,
  type StoredAlert,
  silencedBy,
} from '@vigil/core/alerting';
import * as z from 'zod';
import { alerting, currentRouting } from '../../alerting/context';
import { receiveAlerts } from '../../alerting/pipeline';
import { platform } from '../../platform/context';
import { route } from '../toolkit/index';

const LabelMap = z.record(
  z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names are identifiers'),
  z.string().max(4096),
);
const PostableAlerts = z
  .array(
    z.object({
      labels: LabelMap.refine((l) => Object.keys(l).length > 0, 'an alert needs at least one label'),
      annotations: z.record(z.string(), z.string().max(16_384)).optional(),
      startsAt: z.string().datetime({ offset: true }).optional(),
      endsAt: z.string().datetime({ offset: true }).optional(),
      generatorURL: z.string().max(2048).optional(),
    }),
  )
  .max(10_000);

const bool = (v: string | undefined, fallback: boolean) => (v === undefined ? fallback : v !== 'false');

/** Alertmanager's gettable alert, with Vigil's source. */
async function gettable(
  now: number,
  filter: {
    active?: boolean;
    silenced?: boolean;
    inhibited?: boolean;
    matchers?: string[];
    receiver?: string;
    includeResolved?: boolean;
  },
) {
  const repos = alerting();
  const [alerts, silences, routing] = [
    await repos.alerts.all(),
    await repos.silences.all(),
    await currentRouting(),
  ];
  const matchers = (filter.matchers ?? []).map((m) => parseMatcher(m, 'filter'));
  const firing = alerts.filter((a) => isFiring(a, now));
  const receiverRe = filter.receiver ? new RegExp(`^(?:${filter.receiver})$`) : undefined;
  return (filter.includeResolved ? alerts : firing)
    .filter((a) => allMatch(matchers, a.labels))
    .map((a: StoredAlert) => {
      const silencedIds = silencedBy(silences, a.labels, now);
      const inhibitors = inhibitedBy(routing.inhibit, a, firing);
      const receivers = [...new Set(matchRoutes(routing.root, a.labels).map((r) => r.receiver))].map(
        (name) => ({ name }),
      );
      const state = !isFiring(a, now)
        ? 'resolved'
        : silencedIds.length || inhibitors.length
          ? 'suppressed'
          : 'active';
      return {
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        updatedAt: a.updatedAt,
        generatorURL: a.generatorURL,
        fingerprint: a.fingerprint,
        receivers,
        status: { state, silencedBy: silencedIds, inhibitedBy: inhibitors },
        source: a.source,
      };
    })
    .filter((a) => (filter.active ?? true) || a.status.state !== 'active')
    .filter((a) => (filter.silenced ?? true) || !a.status.silencedBy.length)
    .filter((a) => (filter.inhibited ?? true) || !a.status.inhibitedBy.length)
    .filter((a) => !receiverRe || a.receivers.some((r) => receiverRe.test(r.name)));
}

/** Alertmanager-compatible alert ingest and listing, plus Vigil's list of alert instances. */
export const alertRoutes = {
  'POST /api/v2/alerts': route({
    body: PostableAlerts,
    handle: async ({ body, now }) => {
      for (const [i, a] of body.entries()) {
        if (a.startsAt && a.endsAt && Date.parse(a.endsAt) < Date.parse(a.startsAt))
          throw new ValidationError('endsAt is before startsAt', [
            { field: `${i}.endsAt`, message: 'must not be before startsAt' },
          ]);
      }
      await receiveAlerts(platform(), body, now);
      return { status: 200, body: {} };
    },
  }),
  'GET /api/v2/alerts': route({
    handle: async ({ searchParams, now }) => ({
      body: await gettable(now, {
        active: bool(searchParams.get('active') ?? undefined, true),
        silenced: bool(searchParams.get('silenced') ?? undefined, true),
        inhibited: bool(searchParams.get('inhibited') ?? undefined, true),
        matchers: searchParams.getAll('filter'),
        receiver: searchParams.get('receiver') ?? undefined,
      }),
    }),
  }),
  'GET /api/v1/alerts': route({
    query: z.object({ state: z.enum(['firing', 'resolved', 'all']).default('firing') }).passthrough(),
    handle: async ({ query, now }) => {
      const all = await gettable(now, { includeResolved: query.state !== 'firing' });
      const alerts = query.state === 'resolved' ? all.filter((a) => a.status.state === 'resolved') : all;
      return { body: { alerts } };
    },
  }),
};
