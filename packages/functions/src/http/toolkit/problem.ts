import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
  VigilError,
} from '@vigil/core';
import type { Reply } from './types';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Builds a problem+json reply. */
export function problem(
  status: number,
  detail: string,
  errors: FieldError[] = [],
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Reply {
  const title = TITLES[status] ?? 'Error';
  const body: Problem = {
    type: `https://vigil.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`,
    title,
    status,
    detail,
    errors,
    ...extra,
  };
  return { status, raw: { body: JSON.stringify(body), contentType: 'application/problem+json' }, headers };
}

/**
 * The one error mapper of the HTTP edge: Vigil errors become their statuses; anything else is
 * a 500 whose detail names only the request id (the cause goes to the log).
 */
export function problemFor(error: unknown, requestId: string): { reply: Reply; unexpected: boolean } {
  if (error instanceof ValidationError)
    return { reply: problem(400, error.message, error.errors), unexpected: false };
  if (error instanceof UnauthorizedError)
    return {
      reply: problem(401, error.message, [], {}, { 'www-authenticate': 'Bearer' }),
      unexpected: false,
    };
  if (error instanceof ForbiddenError)
    return {
      reply: problem(403, error.message, [], { requiredScope: error.requiredScope }),
      unexpected: false,
    };
  if (error instanceof NotFoundError) return { reply: problem(404, error.message), unexpected: false };
  if (error instanceof PreconditionFailedError) {
    return {
      reply: problem(
        412,
        error.message,
        [],
        { currentVersion: error.currentVersion },
        error.currentVersion ? { etag: `"${error.currentVersion}"` } : {},
      ),
      unexpected: false,
    };
  }
  if (error instanceof ConflictError)
    return {
      reply: problem(409, error.message, [], error.allowed ? { allowed: error.allowed } : {}),
      unexpected: false,
    };
  if (error instanceof PayloadTooLargeError)
    return {
      reply: problem(413, error.message, [{ field: 'body', message: `at most ${error.limitBytes} bytes` }]),
      unexpected: false,
    };
  if (error instanceof RateLimitedError)
    return {
      reply: problem(429, error.message, [], {}, { 'retry-after': String(error.retryAfterSeconds) }),
      unexpected: false,
    };
  if (error instanceof UnavailableError)
    return {
      reply: problem(503, error.message, [], {}, { 'retry-after': String(error.retryAfterSeconds) }),
      unexpected: false,
    };
  if (error instanceof VigilError) return { reply: problem(400, error.message), unexpected: false };
  return {
    reply: problem(500, `unexpected error; quote request id ${requestId} when reporting it`),
    unexpected: true,
  };
}
