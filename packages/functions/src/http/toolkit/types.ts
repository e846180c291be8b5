import type { Scope } from '@vigil/infra/manifest';
import type { APIGatewayProxyEventV2WithLambdaAuthorizer, Context } from 'aws-lambda';

/** What the authorizer hands every route through `requestContext.authorizer.lambda`. */
export interface AuthorizerContext {
  keyId?: string;
  keyName?: string;
  /** Comma-separated scopes (API Gateway context values must be scalars). */
  scopes?: string;
  /** Set when the key could not be checked because the store is down. */
  unavailable?: string;
}

/** The key a request was made with. */
export interface Principal {
  keyId: string;
  name: string;
  scopes: Scope[];
}

export type HttpEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;
export type { Context };

/** A handler's answer, mapped by the toolkit onto the API Gateway v2 result. */
export interface Reply {
  status?: number;
  /** Serialised as JSON unless `raw` or `stream` is given. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (text, protobuf); Buffers are sent base64-encoded. */
  raw?: { body: string | Uint8Array; contentType: string };
  /**
   * Server-sent events or chunked output, where the runtime can stream (local, function URLs).
   * A stream that polls must yield something (an SSE `: keep-alive` comment) on every poll:
   * an async generator only notices that the client went away when it yields.
   */
  stream?: AsyncIterable<string>;
}

/** The API Gateway v2 structured result, plus a stream the local runtime can pipe. */
export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  stream?: AsyncIterable<string>;
}
