import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteRow } from '@vigil/infra/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyHandler } from '../handlers';
import { RouteTable } from './router';
import { createGateway } from './server';

const rows: RouteRow[] = [
  { method: 'POST', path: '/echo/{name}', function: 'echo', scope: 'read', summary: 'echo' },
  { method: 'GET', path: '/events', function: 'events', scope: 'read', summary: 'stream', streaming: true },
  { method: 'GET', path: '/open', function: 'echo', scope: 'none', summary: 'open' },
];

describe('API Gateway-like server', () => {
  const seen: { event?: any; authorizer?: any } = {};
  let iteratorClosed = false;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const handlers = new Map<string, AnyHandler>([
      [
        'authorizer',
        async (event) => {
          seen.authorizer = event;
          return event.headers.authorization === 'Bearer good'
            ? { isAuthorized: true, context: { keyId: 'k', scopes: 'read' } }
            : { isAuthorized: false };
        },
      ],
      [
        'echo',
        async (event) => {
          seen.event = event;
          return {
            statusCode: 201,
            headers: { 'content-type': 'application/octet-stream' },
            body: Buffer.from([0, 1, 2, 255]).toString('base64'),
            isBase64Encoded: true,
          };
        },
      ],
      [
        'events',
        async () => ({
          statusCode: 200,
          headers: { 'content-type': 'text/event-stream' },
          stream: (async function* () {
            try {
              yield 'id: 1\ndata: first\n\n';
              yield 'id: 2\ndata: second\n\n';
              // A poller, as a live tail is: it yields a keep-alive comment on every poll, which is
              // where a closed client's return() takes effect.
              for (;;) {
                await new Promise((r) => setTimeout(r, 20));
                yield ': keep-alive\n\n';
              }
            } finally {
              iteratorClosed = true;
            }
          })(),
        }),
      ],
    ]);
    server = createGateway({
      routes: new RouteTable(rows),
      handlers,
      now: () => 1_700_000_000_000,
      webDir: '/nonexistent',
      localRoutes: new Map(),
      onError: () => undefined,
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  it('builds a payload 2.0 event: route key, decoded path parameters, lower-cased headers, repeated query values, base64 binary body', async () => {
    const res = await fetch(`${base}/echo/a%20b?x=1&x=2&y=3`, {
      method: 'POST',
      headers: { Authorization: 'Bearer good', 'Content-Type': 'application/x-protobuf', 'X-Custom': 'v' },
      body: new Uint8Array([10, 20, 30]),
    });
    expect(res.status).toBe(201);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]));
    const e = seen.event;
    expect(e.version).toBe('2.0');
    expect(e.routeKey).toBe('POST /echo/{name}');
    expect(e.rawPath).toBe('/echo/a%20b');
    expect(e.pathParameters).toEqual({ name: 'a b' });
    expect(e.rawQueryString).toBe('x=1&x=2&y=3');
    expect(e.queryStringParameters).toEqual({ x: '1,2', y: '3' });
    expect(e.headers['x-custom']).toBe('v');
    expect(e.isBase64Encoded).toBe(true);
    expect(Buffer.from(e.body, 'base64')).toEqual(Buffer.from([10, 20, 30]));
    expect(e.requestContext.authorizer.lambda).toEqual({ keyId: 'k', scopes: 'read' });
    expect(e.requestContext.http.method).toBe('POST');
  });

  it('passes JSON bodies as text and calls the authorizer with the REQUEST payload', async () => {
    await fetch(`${base}/echo/x`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(seen.event.isBase64Encoded).toBe(false);
    expect(seen.event.body).toBe('{"a":1}');
    expect(seen.authorizer).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeKey: 'POST /echo/{name}',
      identitySource: ['Bearer good'],
    });
  });

  it('answers a denied authorization with 403 as API Gateway does, and skips the authorizer on open routes', async () => {
    expect(
      (await fetch(`${base}/echo/x`, { method: 'POST', headers: { authorization: 'Bearer bad' } })).status,
    ).toBe(403);
    seen.authorizer = undefined;
    expect((await fetch(`${base}/open`)).status).toBe(201);
    expect(seen.authorizer).toBeUndefined();
  });

  it('streams server-sent events and stops the stream when the client goes away', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/events`, {
      headers: { authorization: 'Bearer good' },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('second\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text.startsWith('id: 1\ndata: first\n\nid: 2\ndata: second\n\n')).toBe(true);
    controller.abort();
    for (let i = 0; i < 50 && !iteratorClosed; i++) await new Promise((r) => setTimeout(r, 20));
    expect(iteratorClosed).toBe(true);
  });

  it('says which methods a path allows (405) and 404s unknown API paths as problems', async () => {
    const wrong = await fetch(`${base}/echo/x`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const missing = await fetch(`${base}/api/v1/missing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });
});
