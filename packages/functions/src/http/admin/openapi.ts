import { manifest } from '@vigil/infra/manifest';
import { route } from '../toolkit/index';

/** OpenAPI 3.1 of the whole HTTP API, from the manifest rows (paths, methods, scopes, limits). */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of manifest.routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[r.path] ??= {};
    paths[r.path][r.method.toLowerCase()] = {
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[^\w]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
      tags: [r.function],
      parameters: params,
      security: r.scope === 'none' ? [] : [{ bearer: [r.scope] }, { apiKey: [r.scope] }],
      'x-vigil-scope': r.scope,
      ...(r.maxBodyBytes && { 'x-vigil-max-body-bytes': r.maxBodyBytes }),
      responses: {
        default: {
          description: 'An RFC 9457 problem',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil',
      version: '0.1.0',
      description: 'Observability and incident response in your own AWS account',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'errors'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}

export const openApiRoutes = {
  'GET /api/v1/openapi.json': route({ handle: () => ({ body: openApiDocument() }) }),
};
