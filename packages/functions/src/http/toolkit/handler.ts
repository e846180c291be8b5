import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ForbiddenError, PayloadTooLargeError, UnauthorizedError, UnavailableError } from '@vigil/core';
import { manifest, type RouteRow, routeKey, type Scope } from '@vigil/infra/manifest';
import { observeRequest } from '../../insight/request-metrics';
import { platform, setRequestObserver } from '../../platform/context';
import { logger, requestMetrics } from '../../platform/observability';
import { parseJson, parseWith } from './parse';
import { problem, problemFor } from './problem';
import type { RouteInput, Routes } from './route';
import type { Context, HttpEvent, HttpResult, Principal, Reply } from './types';

const DEFAULT_MAX_BODY = 1_048_576;
// Vigil measures itself: every route's requests feed the default SLOs and usage analytics.
setRequestObserver(observeRequest);
const rows = new Map<string, RouteRow>(manifest.routes.map((r) => [routeKey(r), r]));

/** Whether a key with `granted` scopes may call a route needing `required`. */
export function hasScope(granted: readonly string[], required: Scope | 'none'): boolean {
  return required === 'none' || granted.includes('admin') || granted.includes(required);
}

/**
 * Builds the Lambda handler of one route group: it finds the route by `routeKey`, checks the
 * key's scope against the manifest, enforces the body limit, parses with zod, calls the
 * route, and maps errors to problem+json. The same function runs on AWS and locally.
 */
export function createHttpHandler(routes: Routes) {
  return async function handler(event: HttpEvent, _context?: Context): Promise<HttpResult> {
    const started = performance.now();
    const headers = event.headers ?? {};
    const requestId = correlationId(headers, event.requestContext?.requestId);
    // A child logger costs more than most requests' work: made only when something is logged.
    const log = () =>
      logger.createChild({ persistentKeys: { correlation_id: requestId, route: event.routeKey } });
    let reply: Reply;
    let principal: Principal | null = null;
    try {
      const row = rows.get(event.routeKey);
      const impl = routes[event.routeKey];
      if (!row || !impl) {
        reply = problem(404, `no route ${event.routeKey}`);
      } else {
        principal = authorise(event, row.scope);
        reply = await impl.handle(buildInput(event, impl, row, principal, requestId));
      }
    } catch (error) {
      const mapped = problemFor(error, requestId);
      if (mapped.unexpected) log().error('request failed', { error: error as Error });
      else log().debug('request rejected', { reason: (error as Error).message });
      reply = mapped.reply;
    }
    const result = toResult(reply, requestId);
    recordRequestMetric(event.routeKey, result.statusCode, performance.now() - started);
    const at = platform().clock.now();
    for (const observe of platform().requestObservers) {
      try {
        const observed = observe({
          routeKey: event.routeKey,
          status: result.statusCode,
          durationMs: performance.now() - started,
          keyId: principal?.keyId,
          at,
        });
        // Most observers are synchronous: a request waits only for those that are not.
        if (observed) await observed;
      } catch (error) {
        log().warn('request observer failed', { error: error as Error });
      }
    }
    return result;
  };
}

function correlationId(headers: Record<string, string | undefined>, fallback?: string): string {
  const given = headers['x-request-id'];
  if (given && /^[\w.:-]{1,128}$/.test(given)) return given;
  const trace = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(headers.traceparent ?? '');
  return trace?.[1] ?? fallback ?? randomUUID();
}

function authorise(event: HttpEvent, scope: Scope | 'none'): Principal | null {
  if (scope === 'none') return null;
  const context = event.requestContext?.authorizer?.lambda;
  if (context?.unavailable)
    throw new UnavailableError(`cannot verify the API key: ${context.unavailable}`, 5);
  if (!context?.keyId) throw new UnauthorizedError();
  const scopes = (context.scopes ?? '').split(',').filter(Boolean) as Scope[];
  if (!hasScope(scopes, scope)) throw new ForbiddenError(scope);
  return { keyId: context.keyId, name: context.keyName ?? context.keyId, scopes };
}

function buildInput(
  event: HttpEvent,
  impl: Routes[string],
  row: RouteRow,
  principal: Principal | null,
  requestId: string,
): RouteInput<unknown, unknown, unknown> {
  // A text body (JSON, exposition) is read as the string API Gateway passed: copied into a
  // Buffer only if a route asks for the bytes.
  const given = event.body ?? '';
  let bytes: Buffer | undefined = event.isBase64Encoded && given ? Buffer.from(given, 'base64') : undefined;
  let text: string | undefined = bytes ? undefined : given;
  const bodyText = (): string => {
    text ??= (bytes as Buffer).toString('utf8');
    return text;
  };
  const limit = row.maxBodyBytes ?? DEFAULT_MAX_BODY;
  // A UTF-16 unit is at most 3 UTF-8 bytes: only a text that long needs its bytes counted.
  const size = bytes ? bytes.length : given.length * 3 > limit ? Buffer.byteLength(given, 'utf8') : 0;
  if (size > limit) throw new PayloadTooLargeError(limit, size);
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']),
  );
  const contentType = headers['content-type'] ?? '';
  const searchParams = new URLSearchParams(event.rawQueryString ?? '');
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(bodyText())) searchParams.append(k, v);
  }
  let body: unknown;
  if (impl.body && !impl.rawBody) {
    const json = bodyText();
    body = parseWith(impl.body, json.trim() === '' ? undefined : parseJson(json), 'body');
  }
  const queryObject = Object.fromEntries(searchParams);
  return {
    body,
    query: impl.query ? parseWith(impl.query, queryObject, 'query') : queryObject,
    params: impl.params
      ? parseWith(impl.params, event.pathParameters ?? {}, 'path')
      : (event.pathParameters ?? {}),
    headers,
    get rawBody() {
      bytes ??= Buffer.from(given, 'utf8');
      return bytes;
    },
    get bodyText() {
      return bodyText();
    },
    searchParams,
    principal,
    scope: row.scope,
    requestId,
    routeKey: event.routeKey,
    now: platform().clock.now(),
    event,
  };
}

function toResult(reply: Reply, requestId: string): HttpResult {
  const headers: Record<string, string> = { 'x-request-id': requestId, ...reply.headers };
  const statusCode = reply.status ?? (reply.body === undefined && !reply.raw && !reply.stream ? 204 : 200);
  if (reply.stream) return { statusCode, headers, stream: reply.stream };
  if (reply.raw) {
    headers['content-type'] ??= reply.raw.contentType;
    if (typeof reply.raw.body === 'string') return { statusCode, headers, body: reply.raw.body };
    return {
      statusCode,
      headers,
      body: Buffer.from(reply.raw.body).toString('base64'),
      isBase64Encoded: true,
    };
  }
  if (reply.body === undefined) return { statusCode, headers };
  headers['content-type'] ??= 'application/json';
  return { statusCode, headers, body: JSON.stringify(reply.body) };
}

/** One EMF record per request (CloudWatch `Vigil` namespace): count and latency by route and status class. */
function recordRequestMetric(routeKey: string, status: number, ms: number): void {
  requestMetrics.addDimensions({ route: routeKey, statusClass: `${Math.floor(status / 100)}xx` });
  requestMetrics.addMetric('Requests', MetricUnit.Count, 1);
  requestMetrics.addMetric('Latency', MetricUnit.Milliseconds, ms);
  // Publishing also clears the dimensions and metrics for the next request.
  requestMetrics.publishStoredMetrics();
}
