import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { policies } from '../../incidents/escalation';
import { route } from '../toolkit/index';

const Target = z.strictObject({
  kind: z.enum(['user', 'schedule', 'receiver']),
  id: z.string().min(1).max(100),
});
const PolicyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  levels: z
    .array(
      z.strictObject({
        delayMinutes: z.number().int().min(1).max(1440),
        targets: z.array(Target).min(1).max(10),
      }),
    )
    .min(1)
    .max(5),
  repeat: z.number().int().min(0).max(10).default(0),
  services: z.array(z.string().max(100)).max(100).default([]),
  startLevel: z
    .partialRecord(z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']), z.number().int().min(1).max(5))
    .default({}),
  ackTimeoutMinutes: z.number().int().min(1).max(1440).default(30),
});
const Id = z.object({ id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/) });

/** /api/v1/escalation-policies: levels L1–L5, targets, delays, repeats and severity start levels. */
export const escalationPolicyRoutes = {
  'POST /api/v1/escalation-policies': route({
    body: PolicyBody,
    handle: async ({ body }) => ({
      status: 201,
      body: await policies().create({ id: `esc_${randomUUID().slice(0, 8)}`, ...body }),
    }),
  }),
  'GET /api/v1/escalation-policies': route({
    handle: async () => ({ body: { policies: await policies().all() } }),
  }),
  'GET /api/v1/escalation-policies/{id}': route({
    params: Id,
    handle: async ({ params }) => ({ body: await policies().require(params.id) }),
  }),
  'PUT /api/v1/escalation-policies/{id}': route({
    params: Id,
    body: PolicyBody,
    handle: async ({ params, body }) => ({
      body: await policies().update(params.id, (p) => ({ ...p, ...body })),
    }),
  }),
  'DELETE /api/v1/escalation-policies/{id}': route({
    params: Id,
    handle: async ({ params }) => {
      await policies().require(params.id);
      await policies().delete(params.id);
      return { status: 204 };
    },
  }),
};
