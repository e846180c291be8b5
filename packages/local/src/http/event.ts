import type { IncomingMessage } from 'node:http';

const TEXTUAL =
  /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-www-form-urlencoded|x-ndjson|ndjson|yaml|x-yaml|graphql))/i;

export interface RequestParts {
  method: string;
  path: string;
  rawQueryString: string;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
  sourceIp: string;
  requestId: string;
  now: number;
}

/** Lower-cased headers, repeated ones joined with commas, as API Gateway HTTP APIs pass them. */
export function gatewayHeaders(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i].toLowerCase();
    if (name === 'cookie') continue;
    out[name] =
      out[name] === undefined ? request.rawHeaders[i + 1] : `${out[name]},${request.rawHeaders[i + 1]}`;
  }
  return out;
}

function queryParameters(raw: string): Record<string, string> | undefined {
  if (!raw) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = out[k] === undefined ? v : `${out[k]},${v}`;
  return out;
}

/** Whether API Gateway would pass this body as text rather than base64. */
export function isTextual(contentType: string | undefined, body: Buffer): boolean {
  if (!contentType || !TEXTUAL.test(contentType)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

function requestContext(parts: RequestParts, routeKey: string) {
  return {
    accountId: '000000000000',
    apiId: 'local',
    domainName: parts.headers.host ?? 'localhost',
    domainPrefix: (parts.headers.host ?? 'localhost').split('.')[0],
    http: {
      method: parts.method,
      path: parts.path,
      protocol: 'HTTP/1.1',
      sourceIp: parts.sourceIp,
      userAgent: parts.headers['user-agent'] ?? '',
    },
    requestId: parts.requestId,
    routeKey,
    stage: '$default',
    time: new Date(parts.now).toUTCString(),
    timeEpoch: parts.now,
  };
}

/** The Lambda authorizer's event (payload format 2.0, REQUEST type). */
export function authorizerEvent(parts: RequestParts, routeKey: string, params: Record<string, string>) {
  const identity = [parts.headers.authorization, parts.headers['x-api-key']].filter((v): v is string =>
    Boolean(v),
  );
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${parts.method}${parts.path}`,
    identitySource: identity,
    routeKey,
    rawPath: parts.path,
    rawQueryString: parts.rawQueryString,
    cookies: parts.cookies.length ? parts.cookies : undefined,
    headers: parts.headers,
    queryStringParameters: queryParameters(parts.rawQueryString),
    requestContext: requestContext(parts, routeKey),
    pathParameters: Object.keys(params).length ? params : undefined,
    stageVariables: undefined,
  };
}

/** The API Gateway HTTP API (payload format 2.0) event a route's function receives. */
export function httpEvent(
  parts: RequestParts,
  routeKey: string,
  params: Record<string, string>,
  authorizer: Record<string, unknown> | undefined,
) {
  const text = parts.body.length > 0 && isTextual(parts.headers['content-type'], parts.body);
  return {
    version: '2.0',
    routeKey,
    rawPath: parts.path,
    rawQueryString: parts.rawQueryString,
    cookies: parts.cookies.length ? parts.cookies : undefined,
    headers: parts.headers,
    queryStringParameters: queryParameters(parts.rawQueryString),
    pathParameters: Object.keys(params).length ? params : undefined,
    requestContext: {
      ...requestContext(parts, routeKey),
      ...(authorizer && { authorizer: { lambda: authorizer } }),
    },
    body:
      parts.body.length === 0
        ? undefined
        : text
          ? parts.body.toString('utf8')
          : parts.body.toString('base64'),
    isBase64Encoded: parts.body.length > 0 && !text,
  };
}
