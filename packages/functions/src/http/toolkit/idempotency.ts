import { createHash } from 'node:crypto';
import { ConflictError, ValidationError } from '@vigil/core';
import { platform } from '../../platform/context';
import type { RouteInput } from './route';
import type { Reply } from './types';

const TTL_SECONDS = 24 * 3600;

/**
 * Runs a retried write once per `Idempotency-Key`: the first request runs and its reply is
 * stored for 24 hours; a retry with the same key and body gets the stored reply (with
 * `idempotent-replayed: true`); the same key with another body is a 400; a retry while the
 * first is still running is a 409. Without the header the write simply runs.
 */
export function idempotent(
  input: RouteInput<unknown, unknown, unknown>,
  run: () => Promise<Reply>,
): Promise<Reply> {
  const key = input.headers['idempotency-key'];
  // Without a key the write runs as it is, not wrapped in one more promise.
  return key ? once(input, key, run) : run();
}

async function once(
  input: RouteInput<unknown, unknown, unknown>,
  key: string,
  run: () => Promise<Reply>,
): Promise<Reply> {
  if (key.length > 255)
    throw new ValidationError('Idempotency-Key is longer than 255 characters', [
      { field: 'Idempotency-Key', message: 'too long' },
    ]);
  const { tables } = platform();
  const itemKey = {
    PK: `IDEMPOTENCY#${input.principal?.keyId ?? 'anonymous'}#${input.routeKey}#${key}`,
    SK: 'IDEMPOTENCY',
  };
  const fingerprint = createHash('sha256').update(input.rawBody).digest('hex');
  const existing = await tables.state.get(itemKey, { consistent: true });
  if (existing) return replay(existing, fingerprint);
  try {
    await tables.state.put(
      { ...itemKey, fingerprint, state: 'running', expiresAt: Math.floor(input.now / 1000) + TTL_SECONDS },
      { condition: { kind: 'notExists' } },
    );
  } catch (error) {
    if (error instanceof ConflictError)
      return replay(await tables.state.get(itemKey, { consistent: true }), fingerprint);
    throw error;
  }
  try {
    const reply = await run();
    await tables.state.put({
      ...itemKey,
      fingerprint,
      state: 'done',
      reply: JSON.stringify(reply),
      expiresAt: Math.floor(input.now / 1000) + TTL_SECONDS,
    });
    return reply;
  } catch (error) {
    // A failed attempt leaves nothing behind, so the client's retry runs again.
    await tables.state.delete(itemKey);
    throw error;
  }
}

function replay(item: Record<string, unknown> | undefined, fingerprint: string): Reply {
  if (!item)
    throw new ConflictError('a request with this Idempotency-Key is still being processed; retry shortly');
  if (item.fingerprint !== fingerprint) {
    throw new ValidationError('this Idempotency-Key was used with a different request body', [
      { field: 'Idempotency-Key', message: 'reused with a different body' },
    ]);
  }
  if (item.state !== 'done')
    throw new ConflictError('a request with this Idempotency-Key is still being processed; retry shortly');
  const reply = JSON.parse(String(item.reply)) as Reply;
  return { ...reply, headers: { ...reply.headers, 'idempotent-replayed': 'true' } };
}
