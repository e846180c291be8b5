import { NotFoundError, ValidationError } from '@vigil/core';
import {
  INCIDENT_ACTIONS,
  INCIDENT_STATUSES,
  type Incident,
  incidentMarkdown,
  meanResponseTimes,
  responseTimes,
  SEVERITIES,
} from '@vigil/core/incidents';
import { userRepository } from '@vigil/dynamo';
import * as z from 'zod';
import { addEvent, applyAction, incidents, openIncident, timeline } from '../../incidents/service';
import { platform } from '../../platform/context';
import { idempotent, route } from '../toolkit/index';
import type { RouteInput } from '../toolkit/route';

const Labels = z.record(
  z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names are identifiers'),
  z.string().max(1024),
);
const CreateIncident = z.strictObject({
  title: z.string().trim().min(1).max(300),
  severity: z.enum(SEVERITIES),
  service: z.string().trim().min(1).max(100),
  description: z.string().max(20_000).optional(),
  labels: Labels.optional(),
  assignee: z.string().max(100).nullable().optional(),
  runbook: z.string().max(200).nullable().optional(),
  by: z.string().max(100).optional(),
});
const PatchIncident = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  severity: z.enum(SEVERITIES).optional(),
  service: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(20_000).optional(),
  labels: Labels.optional(),
  assignee: z.string().max(100).nullable().optional(),
  runbook: z.string().max(200).nullable().optional(),
  by: z.string().max(100).optional(),
});
const Action = z
  .strictObject({ by: z.string().max(100).optional(), note: z.string().max(5_000).optional() })
  .optional();
const Id = z.object({ id: z.string().regex(/^inc_[a-z0-9-]{1,40}$/, 'an incident id looks like inc_…') });

/** Who made a change: a `by` naming a known user, else the API key's name. */
async function actorOf(input: RouteInput<unknown, unknown, unknown>, by?: string): Promise<string> {
  if (by) {
    if (!(await userRepository(platform().tables.state).get(by)))
      throw new ValidationError(`no user '${by}'`, [{ field: 'by', message: 'must name an existing user' }]);
    return by;
  }
  return input.principal?.name ?? 'system';
}

const withTimes = (i: Incident) => ({ ...i, ...responseTimes(i) });
const etag = (i: Incident) => ({ etag: `"${i.version}"` });

function transitionRoute(action: (typeof INCIDENT_ACTIONS)[number]) {
  return route({
    params: Id,
    body: Action,
    handle: async (input) => {
      const actor = await actorOf(input, input.body?.by);
      const incident = await applyAction(input.params.id, action, actor, input.now);
      if (input.body?.note)
        await addEvent(incident.id, incident.version, {
          type: 'note',
          actor,
          at: new Date(input.now).toISOString(),
          message: input.body.note,
        });
      return { body: withTimes(incident), headers: etag(incident) };
    },
  });
}

/** /api/v1/incidents: create, list, get, patch, transitions, timeline. */
export const incidentCrud = {
  'POST /api/v1/incidents': route({
    body: CreateIncident,
    handle: (input) =>
      idempotent(input, async () => {
        const { by, ...fields } = input.body;
        const incident = await openIncident(fields, await actorOf(input, by), input.now);
        return { status: 201, body: withTimes(incident), headers: etag(incident) };
      }),
  }),

  'GET /api/v1/incidents': route({
    query: z.object({
      status: z.string().optional(),
      severity: z.string().optional(),
      service: z.string().optional(),
      since: z.string().datetime({ offset: true }).optional(),
      until: z.string().datetime({ offset: true }).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(2000).optional(),
    }),
    handle: async ({ query }) => {
      const statuses = query.status?.split(',');
      for (const s of statuses ?? [])
        if (!INCIDENT_STATUSES.includes(s as never))
          throw new ValidationError(`unknown status '${s}'`, [
            { field: 'status', message: `one of ${INCIDENT_STATUSES.join(', ')}` },
          ]);
      const severities = query.severity?.split(',');
      const keep = (i: Incident) =>
        (!statuses || statuses.includes(i.status)) &&
        (!severities || severities.includes(i.severity)) &&
        (!query.service || i.service === query.service) &&
        (!query.since || i.createdAt >= new Date(query.since).toISOString()) &&
        (!query.until || i.createdAt <= new Date(query.until).toISOString());
      // Filters apply while paging, so a page holds up to `limit` matching incidents.
      const items: Incident[] = [];
      let cursor: string | null = query.cursor ?? null;
      do {
        const page = await incidents().list({ limit: query.limit, cursor, reverse: true });
        items.push(...page.items.filter(keep));
        cursor = page.cursor;
      } while (cursor && items.length < query.limit);
      return {
        body: {
          incidents: items.slice(0, query.limit).map(withTimes),
          nextCursor: cursor,
          summary: meanResponseTimes(items),
        },
      };
    },
  }),

  'GET /api/v1/incidents/{id}': route({
    params: Id,
    handle: async ({ params }) => {
      const incident = await incidents().require(params.id);
      return { body: withTimes(incident), headers: etag(incident) };
    },
  }),

  'PATCH /api/v1/incidents/{id}': route({
    params: Id,
    body: PatchIncident,
    handle: async (input) => {
      const match = input.headers['if-match'];
      const ifMatch = match ? Number(match.replace(/^W\//, '').replaceAll('"', '')) : undefined;
      if (match && !Number.isInteger(ifMatch))
        throw new ValidationError('If-Match must be an ETag this API returned', [
          { field: 'If-Match', message: 'expected "<version>"' },
        ]);
      const { by, ...changes } = input.body;
      const actor = await actorOf(input, by);
      const at = new Date(input.now).toISOString();
      const updated = await incidents().update(
        input.params.id,
        (current) => ({ ...current, ...changes, updatedAt: at }),
        { ifMatch },
      );
      const changed = Object.keys(changes);
      if (changed.length)
        await addEvent(updated.id, updated.version, {
          type: 'updated',
          actor,
          at,
          message: `${actor} changed ${changed.join(', ')}`,
          data: changes,
        });
      return { body: withTimes(updated), headers: etag(updated) };
    },
  }),

  ...Object.fromEntries(
    INCIDENT_ACTIONS.map((a) => [`POST /api/v1/incidents/{id}/${a}`, transitionRoute(a)]),
  ),

  'GET /api/v1/incidents/{id}/timeline': route({
    params: Id,
    query: z.object({ format: z.enum(['json', 'markdown']).default('json') }),
    handle: async ({ params, query }) => {
      const incident = await incidents().require(params.id);
      const events = await timeline().list(params.id);
      if (query.format === 'markdown')
        return {
          raw: { body: incidentMarkdown(incident, events), contentType: 'text/markdown; charset=utf-8' },
        };
      return { body: { incident: withTimes(incident), events } };
    },
  }),

  'POST /api/v1/incidents/{id}/timeline': route({
    params: Id,
    body: z.strictObject({
      message: z.string().trim().min(1).max(5_000),
      by: z.string().max(100).optional(),
    }),
    handle: async (input) => {
      const incident = await incidents().get(input.params.id);
      if (!incident) throw new NotFoundError('incident', input.params.id);
      const event = await addEvent(input.params.id, incident.version, {
        type: 'note',
        actor: await actorOf(input, input.body.by),
        at: new Date(input.now).toISOString(),
        message: input.body.message,
      });
      return { status: 201, body: event };
    },
  }),
};
