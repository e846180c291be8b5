import { ValidationError } from '../errors';

/** A query that does not parse; the message names the character position, as Prometheus does. */
export class PromQLSyntaxError extends ValidationError {
  constructor(
    detail: string,
    readonly position: number,
  ) {
    super(`parse error at char ${position + 1}: ${detail}`, [
      { field: 'expr', message: `at char ${position + 1}: ${detail}` },
    ]);
    this.name = 'PromQLSyntaxError';
  }
}

/** A query that parses but cannot be evaluated (many-to-many matching, wrong argument types). */
export class PromQLExecutionError extends ValidationError {
  constructor(detail: string) {
    super(detail, [{ field: 'expr', message: detail }]);
    this.name = 'PromQLExecutionError';
  }
}
