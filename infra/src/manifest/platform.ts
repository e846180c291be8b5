import type { ManifestPart } from './types';

/** Health and administration: what every deployment has before any feature. */
export const platformPart: ManifestPart = {
  routes: [
    {
      method: 'GET',
      path: '/health/live',
      function: 'health',
      scope: 'none',
      summary: 'The process answers (checks nothing)',
    },
    {
      method: 'GET',
      path: '/health/ready',
      function: 'health',
      scope: 'read',
      summary: 'The store and topic answer; 503 when not',
    },
    {
      method: 'GET',
      path: '/health/startup',
      function: 'health',
      scope: 'read',
      summary: 'Tables exist and defaults are seeded',
    },
    {
      method: 'GET',
      path: '/health/detailed',
      function: 'health',
      scope: 'read',
      summary: 'Every dependency, job heartbeat and circuit breaker, with latencies',
    },
    {
      method: 'POST',
      path: '/api/v1/keys',
      function: 'admin',
      scope: 'admin',
      maxBodyBytes: 16_384,
      summary: 'Create an API key; the secret is shown once',
    },
    {
      method: 'GET',
      path: '/api/v1/keys',
      function: 'admin',
      scope: 'admin',
      summary: 'List API keys (never their secrets)',
    },
    {
      method: 'DELETE',
      path: '/api/v1/keys/{id}',
      function: 'admin',
      scope: 'admin',
      summary: 'Revoke an API key',
    },
    {
      method: 'GET',
      path: '/api/v1/openapi.json',
      function: 'admin',
      scope: 'read',
      summary: 'This API, described as OpenAPI 3.1',
    },
  ],
};
