import { ApiKeyRepository } from '@vigil/dynamo';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { platform } from '../platform/context';
import { logger } from '../platform/observability';
import type { AuthorizerContext } from './toolkit/types';

/**
 * The Lambda authorizer of the HTTP API (simple responses). It identifies the key from
 * `Authorization: Bearer <key>` or `X-API-Key` and hands its id, name and scopes to the route.
 *
 * It authorises every request it is given and leaves the verdict to the route's toolkit, which
 * knows the scope the manifest requires: that way a wrong key is a 401 and a missing scope a
 * 403, both as problem+json (API Gateway would answer a denial with a bare 403).
 */
export async function handler(
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> {
  const secret = secretFrom(event.headers ?? {});
  if (!secret) return { isAuthorized: true, context: {} };
  try {
    const key = await new ApiKeyRepository(platform().tables.state).findBySecret(secret);
    if (!key) return { isAuthorized: true, context: {} };
    return {
      isAuthorized: true,
      context: { keyId: key.id, keyName: key.name, scopes: key.scopes.join(',') },
    };
  } catch (error) {
    // The store is down: no principal, so nothing is served; the route answers 503 rather than
    // a 401 that would tell the client its key is wrong.
    logger.error('key lookup failed', { error: error as Error });
    return { isAuthorized: true, context: { unavailable: 'key store unreachable' } };
  }
}

/** The key of a request: `Authorization: Bearer …` (or a bare token), else `X-API-Key`. */
export function secretFrom(headers: Record<string, string | undefined>): string | undefined {
  const authorization = headers.authorization ?? headers.Authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    return match ? match[1] : authorization.trim() || undefined;
  }
  return (headers['x-api-key'] ?? headers['X-API-Key'])?.trim() || undefined;
}
