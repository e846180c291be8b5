/** Opaque page cursors: the last evaluated key, base64url-encoded JSON. */
import { ValidationError } from '@vigil/core';

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

export function decodeCursor(cursor: string | null | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('the cursor is not one this API returned', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}
