import type { Scope } from '@vigil/infra/manifest';
import type { z } from 'zod';
import type { HttpEvent, Principal, Reply } from './types';

/** Everything a route implementation receives, already parsed and authorised. */
export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Lower-cased request headers. */
  headers: Record<string, string>;
  /** The raw body bytes (base64 already decoded). */
  rawBody: Buffer;
  /** The body as UTF-8 text; no copy is made when API Gateway passed it as text. */
  bodyText: string;
  /** All query parameters, repeated ones kept (`match[]`), plus form fields of a urlencoded body. */
  searchParams: URLSearchParams;
  principal: Principal | null;
  /** The scope the route required (from the manifest). */
  scope: Scope | 'none';
  requestId: string;
  routeKey: string;
  now: number;
  event: HttpEvent;
}

/** One route's implementation: schemas to parse with, and the call into core. */
export interface RouteImpl<B = unknown, Q = unknown, P = unknown> {
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Skip JSON parsing: the route reads `rawBody` itself (protobuf, text, NDJSON). */
  rawBody?: boolean;
  handle(input: RouteInput<B, Q, P>): Promise<Reply> | Reply;
}

/** Declares a route with its types inferred from the schemas. */
export function route<B = undefined, Q = Record<string, string>, P = Record<string, string>>(
  impl: RouteImpl<B, Q, P>,
): RouteImpl<B, Q, P> {
  return impl;
}

/** Route implementations keyed by API Gateway route key (`GET /api/v1/keys`). */
// biome-ignore lint/suspicious/noExplicitAny: routes of any input types live in one map
export type Routes = Record<string, RouteImpl<any, any, any>>;
