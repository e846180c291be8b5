/**
 * The error vocabulary shared by every Vigil package. Core throws these; the HTTP edge maps them
 * to problem+json statuses and job runners to retry decisions. Core never knows HTTP.
 */

/** One wrong field of an input, named by its dotted path. */
export interface FieldError {
  field: string;
  message: string;
}

/** Base class of every error Vigil raises on purpose. */
export class VigilError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigilError';
  }
}

/** The input does not satisfy its schema; `errors` names each wrong field. */
export class ValidationError extends VigilError {
  readonly errors: FieldError[];
  constructor(message: string, errors: FieldError[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends VigilError {
  constructor(
    readonly entity: string,
    readonly id: string,
    options?: { cause?: unknown },
  ) {
    super(`${entity} '${id}' does not exist`, options);
    this.name = 'NotFoundError';
  }
}

/** A conditional write lost: the item changed (or already exists) since it was read. */
export class ConflictError extends VigilError {
  readonly allowed?: readonly string[];
  constructor(message: string, options?: { cause?: unknown; allowed?: readonly string[] }) {
    super(message, options);
    this.name = 'ConflictError';
    this.allowed = options?.allowed;
  }
}

/** An If-Match precondition names a version that is no longer current. */
export class PreconditionFailedError extends VigilError {
  constructor(
    message: string,
    readonly currentVersion?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PreconditionFailedError';
  }
}

/** A request body exceeds the limit of its route. */
export class PayloadTooLargeError extends VigilError {
  constructor(
    readonly limitBytes: number,
    readonly actualBytes: number,
  ) {
    super(`body of ${actualBytes} bytes exceeds the limit of ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

/** No credentials, or credentials that match no key. */
export class UnauthorizedError extends VigilError {
  constructor(message = 'a valid API key is required') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** The key is valid but lacks the scope the route requires. */
export class ForbiddenError extends VigilError {
  constructor(readonly requiredScope: string) {
    super(`this API key lacks the '${requiredScope}' scope`);
    this.name = 'ForbiddenError';
  }
}

/** A dependency is down or overloaded; the caller should retry after `retryAfterSeconds`. */
export class UnavailableError extends VigilError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}

/** The caller sends too fast; retry after `retryAfterSeconds`. */
export class RateLimitedError extends VigilError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** Exhaustiveness check for `switch` over a discriminated union. */
export function assertNever(value: never, what = 'value'): never {
  throw new VigilError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
