import { createHash, randomBytes } from 'node:crypto';
import { NotFoundError } from '@vigil/core';
import type { ApiKey, ApiKeyScope } from '@vigil/core/auth';
import { API_KEY_PREFIX } from '@vigil/core/auth';
import type { TableStore } from '@vigil/core/ports';

/** SHA-256 of a secret, hex; the only form in which keys are stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A fresh secret: `vgl_` + 32 random bytes, base64url. */
export function generateSecret(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

const keyOf = (hash: string) => ({ PK: `APIKEY#${hash}`, SK: 'APIKEY' });

/** API keys in the state table, found by the hash of their secret. */
export class ApiKeyRepository {
  constructor(private readonly store: TableStore) {}

  async create(input: {
    name: string;
    scopes: ApiKeyScope[];
    now: number;
    secret?: string;
    bootstrap?: boolean;
  }): Promise<{ key: ApiKey; secret: string }> {
    const secret = input.secret ?? generateSecret();
    const hash = hashSecret(secret);
    const key: ApiKey = {
      id: hash.slice(0, 16),
      name: input.name,
      scopes: input.scopes,
      prefix: secret.slice(0, 8),
      createdAt: new Date(input.now).toISOString(),
      ...(input.bootstrap && { bootstrap: true }),
    };
    await this.store.put({ ...keyOf(hash), GSI1PK: 'apikey', GSI1SK: key.id, data: key });
    return { key, secret };
  }

  /** The key whose secret is `secret`, or undefined. */
  async findBySecret(secret: string): Promise<ApiKey | undefined> {
    const item = await this.store.get(keyOf(hashSecret(secret)));
    return item?.data as ApiKey | undefined;
  }

  async list(): Promise<ApiKey[]> {
    const out: ApiKey[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.store.query({ index: 'GSI1', pk: 'apikey', cursor, limit: 500 });
      out.push(...page.items.map((i) => i.data as ApiKey));
      cursor = page.cursor;
    } while (cursor);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Revokes a key by id. @throws NotFoundError */
  async revoke(id: string): Promise<void> {
    const page = await this.store.query({ index: 'GSI1', pk: 'apikey', sk: { beginsWith: id }, limit: 5 });
    const item = page.items.find((i) => (i.data as ApiKey).id === id);
    if (!item) throw new NotFoundError('api key', id);
    await this.store.delete({ PK: String(item.PK), SK: String(item.SK) });
  }

  /**
   * Makes `secret` the one bootstrap admin key: stores it and revokes any earlier bootstrap key
   * (VIGIL_ADMIN_KEY changed between starts).
   */
  async bootstrapAdmin(secret: string, now: number): Promise<ApiKey> {
    const existing = await this.findBySecret(secret);
    for (const key of await this.list())
      if (key.bootstrap && key.id !== existing?.id) await this.revoke(key.id);
    if (existing) return existing;
    return (await this.create({ name: 'admin', scopes: ['admin'], now, secret, bootstrap: true })).key;
  }
}
