import { overdueItems, reviewMarkdown } from '@vigil/core/reviews';
import * as z from 'zod';
import { reviews, runbooks } from '../../incidents/reviews';
import { incidents, timeline } from '../../incidents/service';
import { route } from '../toolkit/index';

const Id = z.object({ id: z.string().regex(/^inc_[a-z0-9-]{1,40}$/, 'an incident id looks like inc_…') });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const ReviewBody = z.strictObject({
  summary: z.string().max(20_000).optional(),
  impact: z.string().max(20_000).optional(),
  rootCause: z.string().max(20_000).optional(),
  contributingFactors: z.array(z.string().max(2000)).max(50).optional(),
  lessonsLearned: z.array(z.string().max(2000)).max(50).optional(),
  actionItems: z
    .array(
      z.strictObject({
        id: z.string().max(64),
        title: z.string().min(1).max(500),
        owner: z.string().min(1).max(100),
        due: Day,
        status: z.enum(['open', 'in-progress', 'done']),
      }),
    )
    .max(100)
    .optional(),
  status: z.enum(['draft', 'published']).optional(),
  due: Day.optional(),
});
const Slug = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
});
const RunbookBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(100_000),
  tags: z.array(z.string().max(50)).max(20).default([]),
});

/** Post-incident reviews and runbooks. */
export const reviewRoutes = {
  'GET /api/v1/incidents/{id}/review': route({
    params: Id,
    query: z.object({ format: z.enum(['json', 'markdown']).default('json') }),
    handle: async ({ params, query }) => {
      const review = await reviews().require(params.id);
      if (query.format === 'markdown') {
        const incident = await incidents().require(params.id);
        return {
          raw: {
            body: reviewMarkdown(review, incident, await timeline().list(params.id)),
            contentType: 'text/markdown; charset=utf-8',
          },
        };
      }
      return { body: review };
    },
  }),
  'PUT /api/v1/incidents/{id}/review': route({
    params: Id,
    body: ReviewBody,
    handle: async ({ params, body, now }) => {
      const incident = await incidents().require(params.id);
      const existing = await reviews().get(params.id);
      const { newReview } = await import('@vigil/core/reviews');
      if (!existing) await reviews().create(newReview(incident, now));
      const updated = await reviews().update(params.id, (r) => ({
        ...r,
        ...body,
        updatedAt: new Date(now).toISOString(),
      }));
      return { body: updated };
    },
  }),
  'GET /api/v1/reviews': route({
    query: z.object({ overdue: z.enum(['true', 'false']).optional() }),
    handle: async ({ query, now }) => {
      const all = (await reviews().all()).map((r) => ({ ...r, overdueActionItems: overdueItems(r, now) }));
      return {
        body: { reviews: query.overdue === 'true' ? all.filter((r) => r.overdueActionItems.length) : all },
      };
    },
  }),
  'POST /api/v1/runbooks': route({
    body: RunbookBody.extend({ id: Slug.shape.id }),
    handle: async ({ body, now }) => ({
      status: 201,
      body: await runbooks().create({ ...body, updatedAt: new Date(now).toISOString() }),
    }),
  }),
  'GET /api/v1/runbooks': route({
    handle: async () => ({ body: { runbooks: (await runbooks().all()).map(({ body: _, ...r }) => r) } }),
  }),
  'GET /api/v1/runbooks/{id}': route({
    params: Slug,
    query: z.object({ format: z.enum(['json', 'markdown']).default('json') }),
    handle: async ({ params, query }) => {
      const r = await runbooks().require(params.id);
      return query.format === 'markdown'
        ? { raw: { body: r.body, contentType: 'text/markdown; charset=utf-8' } }
        : { body: r };
    },
  }),
  'PUT /api/v1/runbooks/{id}': route({
    params: Slug,
    body: RunbookBody,
    handle: async ({ params, body, now }) => ({
      body: await runbooks().update(params.id, (r) => ({
        ...r,
        ...body,
        updatedAt: new Date(now).toISOString(),
      })),
    }),
  }),
  'DELETE /api/v1/runbooks/{id}': route({
    params: Slug,
    handle: async ({ params }) => {
      await runbooks().require(params.id);
      await runbooks().delete(params.id);
      return { status: 204 };
    },
  }),
};
