import { type FieldError, ValidationError } from '@vigil/core';
import type { z } from 'zod';

/** Parses `value` with `schema` or throws a ValidationError naming each wrong field. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  where: 'body' | 'query' | 'path' | 'header',
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : where,
    message: issue.message,
  }));
  const first = errors[0];
  throw new ValidationError(`invalid ${where}: ${first.field}: ${first.message}`, errors);
}

/** Parses a JSON text, turning a syntax error into a 400 that says where it broke. */
export function parseJson(text: string, field = 'body'): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`the body is not valid JSON: ${(error as Error).message}`, [
      { field, message: 'malformed JSON' },
    ]);
  }
}
