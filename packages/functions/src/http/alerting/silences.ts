import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '@vigil/core';
import { parseMatcher, type Silence, silenceState } from '@vigil/core/alerting';
import * as z from 'zod';
import { alerting } from '../../alerting/context';
import { route } from '../toolkit/index';

const MatcherBody = z.object({
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
  value: z.string().max(4096),
  isRegex: z.boolean(),
  isEqual: z.boolean().default(true),
});
const SilenceBody = z.object({
  id: z.string().max(64).optional(),
  matchers: z.array(MatcherBody).min(1).max(50),
  /** Defaults to now. */
  startsAt: z.string().datetime({ offset: true }).optional(),
  endsAt: z.string().datetime({ offset: true }),
  createdBy: z.string().min(1).max(200),
  comment: z.string().min(1).max(5000),
});

const view = (s: Silence, now: number) => ({
  id: s.id,
  status: { state: silenceState(s, now) },
  matchers: s.matchers,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  updatedAt: s.updatedAt,
  createdBy: s.createdBy,
  comment: s.comment,
});
const Id = z.object({ id: z.string().regex(/^[a-zA-Z0-9-]{1,64}$/, 'a silence id') });

/** Alertmanager's silences API (v2): create or update, list, get, expire. */
export const silenceRoutes = {
  'POST /api/v2/silences': route({
    body: SilenceBody,
    handle: async ({ body, now }) => {
      const startsAt = body.startsAt ?? new Date(now).toISOString();
      if (Date.parse(body.endsAt) <= Date.parse(startsAt))
        throw new ValidationError('endsAt must be after startsAt', [
          { field: 'endsAt', message: 'must be after startsAt' },
        ]);
      if (Date.parse(body.endsAt) <= now)
        throw new ValidationError('the silence would already be expired', [
          { field: 'endsAt', message: 'must be in the future' },
        ]);
      if (body.matchers.every((m) => !m.isRegex && m.isEqual && m.value === ''))
        throw new ValidationError('at least one matcher must not match the empty string', [
          { field: 'matchers', message: 'would silence everything' },
        ]);
      body.matchers.forEach((m, i) => {
        if (m.isRegex) parseMatcher(`${m.name}=~${JSON.stringify(m.value)}`, `matchers.${i}.value`);
      });
      const repos = alerting();
      const at = new Date(now).toISOString();
      const fields = {
        matchers: body.matchers,
        startsAt: new Date(Math.max(Date.parse(startsAt), now)).toISOString(),
        endsAt: new Date(body.endsAt).toISOString(),
        createdBy: body.createdBy,
        comment: body.comment,
        updatedAt: at,
      };
      if (body.id) {
        const existing = await repos.silences.get(body.id);
        if (!existing) throw new NotFoundError('silence', body.id);
        await repos.silences.update(body.id, (s) => ({
          ...s,
          ...fields,
          startsAt: silenceState(s, now) === 'pending' ? fields.startsAt : s.startsAt,
        }));
        return { body: { silenceID: body.id } };
      }
      const id = randomUUID();
      await repos.silences.create({ id, ...fields });
      return { body: { silenceID: id } };
    },
  }),
  'GET /api/v2/silences': route({
    handle: async ({ now }) => {
      const order = { active: 0, pending: 1, expired: 2 } as const;
      const all = (await alerting().silences.all()).map((s) => view(s, now));
      return {
        body: all.sort(
          (a, b) => order[a.status.state] - order[b.status.state] || b.endsAt.localeCompare(a.endsAt),
        ),
      };
    },
  }),
  'GET /api/v2/silence/{id}': route({
    params: Id,
    handle: async ({ params, now }) => ({ body: view(await alerting().silences.require(params.id), now) }),
  }),
  'DELETE /api/v2/silence/{id}': route({
    params: Id,
    handle: async ({ params, now }) => {
      const at = new Date(now).toISOString();
      await alerting().silences.update(params.id, (s) =>
        silenceState(s, now) === 'expired' ? s : { ...s, endsAt: at, updatedAt: at },
      );
      return { status: 200, body: {} };
    },
  }),
};
