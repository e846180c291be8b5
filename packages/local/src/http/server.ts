import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AnyHandler, lambdaContext } from '../handlers';
import { authorizerEvent, gatewayHeaders, httpEvent, type RequestParts } from './event';
import type { RouteTable } from './router';
import { serveStatic } from './static';

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const API_PREFIXES = ['/api/', '/health/', '/v1/', '/loki/'];

export interface GatewayOptions {
  routes: RouteTable;
  handlers: Map<string, AnyHandler>;
  now: () => number;
  webDir: string;
  /** Local-only routes served by the runtime itself (the test clock). */
  localRoutes: Map<
    string,
    (parts: RequestParts, authorizer: Record<string, unknown>) => Promise<{ status: number; body: unknown }>
  >;
  onError: (message: string, error: unknown) => void;
}

/**
 * A node:http server that behaves like API Gateway (HTTP API) in front of the manifest's
 * functions: it builds the payload-2.0 event, calls the Lambda authorizer for keyed routes,
 * invokes the route's function and maps its result (text, base64 or a stream) back.
 */
export function createGateway(options: GatewayOptions): Server {
  return createServer((request, response) => {
    handle(request, response, options).catch((error) => {
      options.onError('gateway failure', error);
      if (!response.headersSent) send(response, 500, { message: 'Internal Server Error' });
      else response.destroy();
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: GatewayOptions,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = (request.method ?? 'GET').toUpperCase();
  const body = await readBody(request);
  if (body === undefined) return send(response, 413, { message: 'Request Entity Too Large' });
  const headers = gatewayHeaders(request);
  const parts: RequestParts = {
    method,
    path: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    cookies: (request.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim())
      .filter(Boolean),
    body,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    requestId: randomUUID(),
    now: options.now(),
  };

  const local = options.localRoutes.get(`${method} ${url.pathname}`);
  if (local) {
    const auth = await authorize(parts, `${method} ${url.pathname}`, {}, options);
    if (!auth.ok) return send(response, 403, { message: 'Forbidden' });
    const out = await local(parts, auth.context);
    return send(
      response,
      out.status,
      out.body,
      out.status >= 400 ? 'application/problem+json' : 'application/json',
    );
  }

  const match = options.routes.match(method, url.pathname);
  if (!match) {
    if (method === 'GET' && !API_PREFIXES.some((p) => url.pathname.startsWith(p)))
      return serveStatic(options.webDir, url.pathname, response);
    return problem(response, 404, `no route ${method} ${url.pathname}`);
  }
  if ('methodMismatch' in match) {
    if (method === 'OPTIONS') return void response.writeHead(204, { allow: match.allowed.join(', ') }).end();
    return problem(
      response,
      405,
      `${method} is not allowed on ${url.pathname}; use ${match.allowed.join(', ')}`,
      { allow: match.allowed.join(', ') },
    );
  }

  let authorizer: Record<string, unknown> | undefined;
  if (match.row.scope !== 'none') {
    const auth = await authorize(parts, match.key, match.params, options);
    if (!auth.ok) return send(response, 403, { message: 'Forbidden' });
    authorizer = auth.context;
  }
  const fn = options.handlers.get(match.row.function);
  if (!fn) return send(response, 500, { message: 'Internal Server Error' });
  let result: unknown;
  try {
    result = await fn(
      httpEvent(parts, match.key, match.params, authorizer),
      lambdaContext(match.row.function, parts.requestId),
    );
  } catch (error) {
    // An unhandled throw is what API Gateway reports as a bare 500.
    options.onError(`function ${match.row.function} threw on ${match.key}`, error);
    return send(response, 500, { message: 'Internal Server Error' });
  }
  await writeResult(response, request, result);
}

async function authorize(
  parts: RequestParts,
  routeKey: string,
  params: Record<string, string>,
  options: GatewayOptions,
): Promise<{ ok: boolean; context: Record<string, unknown> }> {
  const authorizer = options.handlers.get('authorizer');
  if (!authorizer) return { ok: false, context: {} };
  try {
    const out = await authorizer(
      authorizerEvent(parts, routeKey, params),
      lambdaContext('authorizer', parts.requestId),
    );
    return { ok: Boolean(out?.isAuthorized), context: out?.context ?? {} };
  } catch (error) {
    options.onError('authorizer threw', error);
    return { ok: false, context: {} };
  }
}

interface StructuredResult {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
  stream?: AsyncIterable<string>;
}

async function writeResult(
  response: ServerResponse,
  request: IncomingMessage,
  result: unknown,
): Promise<void> {
  // Payload 2.0: anything without a statusCode is a 200 JSON body.
  if (result === undefined || result === null || typeof result !== 'object' || !('statusCode' in result)) {
    return send(response, 200, result ?? '');
  }
  const r = result as StructuredResult;
  const headers: Record<string, string | string[]> = { ...r.headers };
  if (r.cookies?.length) headers['set-cookie'] = r.cookies;
  if (r.stream) {
    response.writeHead(r.statusCode ?? 200, {
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    response.flushHeaders();
    const iterator = r.stream[Symbol.asyncIterator]();
    // The response closes when the client goes away; the stream's poller then stops.
    const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
    response.once('close', () => void iterator.return?.());
    for (;;) {
      const next = await Promise.race([
        iterator.next(),
        closed.then(() => ({ done: true, value: undefined }) as const),
      ]);
      if (next.done || response.destroyed) break;
      response.write(next.value);
    }
    if (!response.destroyed) response.end();
    return;
  }
  const payload =
    r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8');
  response
    .writeHead(r.statusCode ?? 200, { ...headers, 'content-length': String(payload.length) })
    .end(payload);
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) over = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response
    .writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(text)) })
    .end(text);
}

function problem(
  response: ServerResponse,
  status: number,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const title = status === 404 ? 'Not Found' : status === 405 ? 'Method Not Allowed' : 'Error';
  const text = JSON.stringify({
    type: `https://vigil.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`,
    title,
    status,
    detail,
    errors: [],
  });
  response
    .writeHead(status, {
      'content-type': 'application/problem+json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    })
    .end(text);
}
