import { API_KEY_SCOPES } from '@vigil/core/auth';
import { ApiKeyRepository } from '@vigil/dynamo';
import * as z from 'zod';
import { platform } from '../../platform/context';
import { idempotent, route } from '../toolkit/index';

const keys = () => new ApiKeyRepository(platform().tables.state);

const CreateKey = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\w .@-]+$/, 'letters, digits, spaces and . _ @ - only'),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(4),
});

/** POST/GET/DELETE /api/v1/keys — API keys, admin only. */
export const keyRoutes = {
  'POST /api/v1/keys': route({
    body: CreateKey,
    handle: (input) =>
      idempotent(input, async () => {
        const { key, secret } = await keys().create({
          name: input.body.name,
          scopes: [...new Set(input.body.scopes)],
          now: input.now,
        });
        return { status: 201, body: { ...key, key: secret } };
      }),
  }),
  'GET /api/v1/keys': route({
    handle: async () => ({ body: { keys: await keys().list() } }),
  }),
  'DELETE /api/v1/keys/{id}': route({
    params: z.object({ id: z.string().regex(/^[\da-f]{16}$/, 'a key id is 16 hex characters') }),
    handle: async ({ params }) => {
      await keys().revoke(params.id);
      return { status: 204 };
    },
  }),
};
