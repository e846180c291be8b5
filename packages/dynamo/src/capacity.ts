/**
 * DynamoDB's on-demand charging rules, so the in-memory store charges what DynamoDB would:
 * a write unit per 1 KB written, a read unit per 4 KB read (half for eventually consistent).
 */
export function itemBytes(item: Record<string, unknown>): number {
  let size = 0;
  // for-in, not Object.entries: no array per attribute (items are plain objects, so the keys
  // are the same); the memory table sizes every item it reads.
  for (const name in item) size += Buffer.byteLength(name) + valueBytes(item[name]);
  return size;
}

function valueBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(value).length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueBytes(v), 0);
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + valueBytes(v), 0);
  if (typeof value === 'object')
    return 3 + itemBytes(value as Record<string, unknown>) + Object.keys(value).length;
  return 0;
}

export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
export const readUnits = (bytes: number, consistent = false) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
