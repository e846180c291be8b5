import { randomUUID } from 'node:crypto';
import { ValidationError } from '@vigil/core';
import { isTimeZone, onCallAt, type Schedule, shiftsBetween } from '@vigil/core/oncall';
import { scheduleRepository, userRepository } from '@vigil/dynamo';
import * as z from 'zod';
import { platform } from '../../platform/context';
import { route } from '../toolkit/index';

const users = () => userRepository(platform().tables.state);
const schedules = () => scheduleRepository(platform().tables.state);

const Slug = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, . _ - (max 63)');
const TimeZone = z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin');
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const Instant = z.string().datetime({ offset: true });

const UserBody = z.strictObject({
  id: Slug,
  name: z.string().trim().min(1).max(100),
  email: z.string().email().nullable().optional(),
  contacts: z
    .array(
      z.strictObject({ type: z.enum(['email', 'slack', 'webhook']), address: z.string().min(1).max(500) }),
    )
    .max(10)
    .optional(),
  timeZone: TimeZone.optional(),
});

const LayerBody = z.strictObject({
  name: z.string().trim().min(1).max(60),
  users: z.array(Slug).min(1).max(50),
  rotationStart: Instant,
  shift: z.strictObject({
    every: z.number().int().min(1).max(1000),
    unit: z.enum(['hours', 'days', 'weeks']),
  }),
  handoffTime: HHMM.optional(),
  timeZone: TimeZone,
  restrictions: z
    .array(z.strictObject({ days: z.array(z.number().int().min(0).max(6)).min(1), start: HHMM, end: HHMM }))
    .max(14)
    .optional(),
});
const OverrideBody = z
  .strictObject({ user: Slug, start: Instant, end: Instant })
  .refine((o) => Date.parse(o.end) > Date.parse(o.start), {
    message: 'end must be after start',
    path: ['end'],
  });
const ScheduleBody = z.strictObject({
  id: Slug.optional(),
  name: z.string().trim().min(1).max(100),
  layers: z.array(LayerBody).min(1).max(10),
  overrides: z.array(OverrideBody).max(200).optional(),
});
const IdParam = z.object({ id: Slug });

async function checkUsers(ids: string[]): Promise<void> {
  const known = new Set((await users().all()).map((u) => u.id));
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length)
    throw new ValidationError(
      `unknown users: ${missing.join(', ')}`,
      missing.map((id) => ({ field: 'users', message: `no user '${id}'` })),
    );
}

const normalize = (o: { user: string; start: string; end: string }, id = randomUUID().slice(0, 8)) => ({
  id,
  user: o.user,
  start: new Date(o.start).toISOString(),
  end: new Date(o.end).toISOString(),
});

/** Users, schedules with layers and overrides, and who is on call. */
export const peopleRoutes = {
  'POST /api/v1/users': route({
    body: UserBody,
    handle: async ({ body }) => ({
      status: 201,
      body: await users().create({
        ...body,
        email: body.email ?? null,
        contacts: body.contacts ?? [],
        timeZone: body.timeZone ?? 'UTC',
      }),
    }),
  }),
  'GET /api/v1/users': route({ handle: async () => ({ body: { users: await users().all() } }) }),
  'GET /api/v1/users/{id}': route({
    params: IdParam,
    handle: async ({ params }) => ({ body: await users().require(params.id) }),
  }),
  'PUT /api/v1/users/{id}': route({
    params: IdParam,
    body: UserBody.omit({ id: true }),
    handle: async ({ params, body }) => ({
      body: await users().update(params.id, (u) => ({
        ...u,
        ...body,
        email: body.email ?? null,
        contacts: body.contacts ?? u.contacts,
      })),
    }),
  }),
  'DELETE /api/v1/users/{id}': route({
    params: IdParam,
    handle: async ({ params }) => {
      await users().require(params.id);
      await users().delete(params.id);
      return { status: 204 };
    },
  }),

  'POST /api/v1/schedules': route({
    body: ScheduleBody,
    handle: async ({ body }) => {
      await checkUsers([
        ...body.layers.flatMap((l) => l.users),
        ...(body.overrides ?? []).map((o) => o.user),
      ]);
      const schedule = await schedules().create({
        id: body.id ?? `sch_${randomUUID().slice(0, 8)}`,
        name: body.name,
        layers: body.layers,
        overrides: (body.overrides ?? []).map((o) => normalize(o)),
      });
      return { status: 201, body: schedule };
    },
  }),
  'GET /api/v1/schedules': route({ handle: async () => ({ body: { schedules: await schedules().all() } }) }),
  'GET /api/v1/schedules/{id}': route({
    params: IdParam,
    handle: async ({ params }) => ({ body: await schedules().require(params.id) }),
  }),
  'PUT /api/v1/schedules/{id}': route({
    params: IdParam,
    body: ScheduleBody.omit({ id: true }),
    handle: async ({ params, body }) => {
      await checkUsers([
        ...body.layers.flatMap((l) => l.users),
        ...(body.overrides ?? []).map((o) => o.user),
      ]);
      return {
        body: await schedules().update(params.id, (s) => ({
          ...s,
          name: body.name,
          layers: body.layers,
          overrides: body.overrides ? body.overrides.map((o) => normalize(o)) : s.overrides,
        })),
      };
    },
  }),
  'DELETE /api/v1/schedules/{id}': route({
    params: IdParam,
    handle: async ({ params }) => {
      await schedules().require(params.id);
      await schedules().delete(params.id);
      return { status: 204 };
    },
  }),
  'GET /api/v1/schedules/{id}/oncall': route({
    params: IdParam,
    query: z.object({ at: Instant.optional() }),
    handle: async ({ params, query, now }) => {
      const schedule = await schedules().require(params.id);
      const at = query.at ? Date.parse(query.at) : now;
      return { body: { schedule: schedule.id, at: new Date(at).toISOString(), ...onCallAt(schedule, at) } };
    },
  }),
  'GET /api/v1/schedules/{id}/shifts': route({
    params: IdParam,
    query: z.object({ start: Instant.optional(), end: Instant.optional() }),
    handle: async ({ params, query, now }) => {
      const schedule = await schedules().require(params.id);
      const start = query.start ? Date.parse(query.start) : now;
      const end = query.end ? Date.parse(query.end) : start + 14 * 86_400_000;
      if (end <= start || end - start > 62 * 86_400_000)
        throw new ValidationError('end must be after start and within 62 days of it', [
          { field: 'end', message: 'out of range' },
        ]);
      return { body: { schedule: schedule.id, shifts: shiftsBetween(schedule, start, end) } };
    },
  }),
  'GET /api/v1/schedules/{id}/overrides': route({
    params: IdParam,
    handle: async ({ params }) => ({ body: { overrides: (await schedules().require(params.id)).overrides } }),
  }),
  'POST /api/v1/schedules/{id}/overrides': route({
    params: IdParam,
    body: OverrideBody,
    handle: async ({ params, body }) => {
      await checkUsers([body.user]);
      const override = normalize(body);
      await schedules().update(params.id, (s) => ({ ...s, overrides: [...s.overrides, override] }));
      return { status: 201, body: override };
    },
  }),
  'GET /api/v1/oncall': route({
    query: z.object({ at: Instant.optional() }),
    handle: async ({ query, now }) => {
      const at = query.at ? Date.parse(query.at) : now;
      const all: Schedule[] = await schedules().all();
      return {
        body: {
          at: new Date(at).toISOString(),
          oncall: all.map((s) => ({ schedule: s.id, name: s.name, ...onCallAt(s, at) })),
        },
      };
    },
  }),
};
