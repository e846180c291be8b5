import { checkTarget } from '@vigil/channels';
import { ConflictError, ValidationError } from '@vigil/core';
import { type RoutingConfig, resolveRouting } from '@vigil/core/alerting';
import { load as loadYaml } from 'js-yaml';
import * as z from 'zod';
import { alerting, currentRouting } from '../../alerting/context';
import { publishTest } from '../../alerting/test-notification';
import { platform } from '../../platform/context';
import { parseJson, parseWith, route } from '../toolkit/index';

const Name = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/, 'letters, digits, . _ - (max 63)');
const ReceiverBody = z.discriminatedUnion('type', [
  z.strictObject({
    name: Name,
    type: z.literal('slack'),
    url: z.string().url(),
    sendResolved: z.boolean().default(true),
  }),
  z.strictObject({
    name: Name,
    type: z.literal('webhook'),
    url: z.string().url(),
    secret: z.string().min(16).max(256).optional(),
    sendResolved: z.boolean().default(true),
  }),
  z.strictObject({
    name: Name,
    type: z.literal('email'),
    to: z.array(z.string().email()).max(50).default([]),
    sendResolved: z.boolean().default(true),
  }),
  z.strictObject({
    name: Name,
    type: z.literal('pagerduty'),
    routingKey: z.string().min(8).max(128),
    url: z.string().url().optional(),
    sendResolved: z.boolean().default(true),
  }),
]);
const allowPrivate = () => platform().env.VIGIL_ALLOW_PRIVATE_TARGETS === '1';

/**
 * On AWS an email reaches only addresses subscribed at deploy time (VIGIL_ALERT_EMAILS, each an
 * SNS email subscription filtered on the receiver's `to`): any other address would get nothing,
 * silently, so it is refused here. Locally (no list) mail goes by SMTP to any address.
 */
function checkRecipients(body: z.infer<typeof ReceiverBody>): void {
  const subscribed = platform().env.VIGIL_ALERT_EMAILS;
  if (body.type !== 'email' || !subscribed) return;
  const known = new Set(subscribed.split(',').map((a) => a.trim().toLowerCase()));
  const errors = body.to.flatMap((address, i) =>
    known.has(address.toLowerCase())
      ? []
      : [
          {
            field: `to.${i}`,
            message: `${address} is not subscribed to this deployment's email topic: add it to VIGIL_ALERT_EMAILS and deploy again`,
          },
        ],
  );
  if (errors.length)
    throw new ValidationError('email receiver names addresses that cannot receive mail', errors);
}
const redact = <T extends { secret?: string; routingKey?: string }>(r: T) => ({
  ...r,
  ...(r.secret && { secret: '***' }),
  ...(r.routingKey && { routingKey: `${r.routingKey.slice(0, 4)}***` }),
});

const RouteSchema: z.ZodType<RoutingConfig['route']> = z.lazy(() =>
  z.strictObject({
    receiver: z.string().optional(),
    group_by: z.array(z.string()).optional(),
    group_wait: z.string().optional(),
    group_interval: z.string().optional(),
    repeat_interval: z.string().optional(),
    matchers: z.array(z.string()).optional(),
    continue: z.boolean().optional(),
    routes: z.array(RouteSchema).optional(),
  }),
);
const RoutingBody = z.object({
  route: RouteSchema,
  inhibit_rules: z
    .array(
      z.strictObject({
        source_matchers: z.array(z.string()).min(1),
        target_matchers: z.array(z.string()).min(1),
        equal: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/** Receivers and the routing tree. */
export const configRoutes = {
  'POST /api/v1/receivers': route({
    body: ReceiverBody,
    handle: async ({ body, now }) => {
      if ('url' in body && body.url) checkTarget(body.url, allowPrivate());
      checkRecipients(body);
      if (body.name === 'log-only')
        throw new ValidationError("'log-only' is reserved", [{ field: 'name', message: 'reserved name' }]);
      const receiver = await alerting().receivers.create({
        id: body.name,
        ...body,
        createdAt: new Date(now).toISOString(),
      });
      return { status: 201, body: redact(receiver) };
    },
  }),
  'GET /api/v1/receivers': route({
    handle: async () => ({ body: { receivers: (await alerting().receivers.all()).map(redact) } }),
  }),
  'GET /api/v1/receivers/{name}': route({
    params: z.object({ name: Name }),
    handle: async ({ params }) => ({ body: redact(await alerting().receivers.require(params.name)) }),
  }),
  'PUT /api/v1/receivers/{name}': route({
    params: z.object({ name: Name }),
    body: ReceiverBody,
    handle: async ({ params, body }) => {
      if (body.name !== params.name)
        throw new ValidationError('the name in the body must match the path', [
          { field: 'name', message: 'must equal the path name' },
        ]);
      if ('url' in body && body.url) checkTarget(body.url, allowPrivate());
      checkRecipients(body);
      return {
        body: redact(
          await alerting().receivers.update(params.name, (r) => ({
            ...body,
            id: r.id,
            createdAt: r.createdAt,
            version: r.version,
          })),
        ),
      };
    },
  }),
  'DELETE /api/v1/receivers/{name}': route({
    params: z.object({ name: Name }),
    handle: async ({ params }) => {
      const repos = alerting();
      await repos.receivers.require(params.name);
      const stored = await repos.routing.get('default');
      if (stored && JSON.stringify(stored.config).includes(`"receiver":"${params.name}"`))
        throw new ConflictError(
          `receiver '${params.name}' is used by the routing tree; change the routing first`,
        );
      await repos.receivers.delete(params.name);
      return { status: 204 };
    },
  }),
  'POST /api/v1/receivers/{name}/test': route({
    params: z.object({ name: Name }),
    handle: async ({ params, now }) => {
      const receiver = await alerting().receivers.require(params.name);
      const messageId = await publishTest(platform(), receiver, now);
      return { status: 202, body: { receiver: receiver.name, channel: receiver.type, messageId } };
    },
  }),
  'GET /api/v1/routing': route({
    handle: async () => {
      const stored = await alerting().routing.get('default');
      const current = await currentRouting();
      return { body: { ...current.config, source: stored ? 'stored' : 'default' } };
    },
  }),
  'PUT /api/v1/routing': route({
    rawBody: true,
    handle: async ({ rawBody, headers, now }) => {
      const text = rawBody.toString('utf8');
      const isYaml = /yaml/.test(headers['content-type'] ?? '');
      let raw: unknown;
      if (isYaml) {
        try {
          raw = loadYaml(text);
        } catch (error) {
          throw new ValidationError(`the body is not valid YAML: ${(error as Error).message}`, [
            { field: 'body', message: 'malformed YAML' },
          ]);
        }
        // An Alertmanager config file carries receivers and other keys; only routing is taken.
        if (raw && typeof raw === 'object')
          raw = {
            route: (raw as Record<string, unknown>).route,
            inhibit_rules: (raw as Record<string, unknown>).inhibit_rules,
          };
      } else raw = parseJson(text);
      const config = parseWith(RoutingBody, raw, 'body');
      const receivers = new Set((await alerting().receivers.all()).map((r) => r.name));
      receivers.add('log-only');
      resolveRouting(config as RoutingConfig, receivers);
      const repos = alerting();
      const existing = await repos.routing.get('default');
      const doc = {
        id: 'default',
        config: config as RoutingConfig,
        updatedAt: new Date(now).toISOString(),
        version: existing?.version ?? 0,
      };
      if (existing) await repos.routing.save(doc);
      else await repos.routing.create(doc);
      return { body: config };
    },
  }),
};
