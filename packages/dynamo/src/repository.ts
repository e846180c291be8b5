import { ConflictError, NotFoundError, PreconditionFailedError } from '@vigil/core';
import type { Item, Page, TableStore } from '@vigil/core/ports';

/** What every state entity carries: an id and an optimistic-concurrency version. */
export interface Versioned {
  id: string;
  version: number;
}

/** How one entity kind lives in the state table. */
export interface EntityConfig<T extends Versioned> {
  /** Entity kind, used in keys (`incident`, `rule`). */
  kind: string;
  /** Secondary keys (GSI1/GSI2) for lists other than "all of this kind, newest first". */
  indexes?: (entity: T) => Partial<Record<'GSI2PK' | 'GSI2SK', string>>;
  /** Epoch seconds after which the item may be deleted by TTL. */
  expiresAt?: (entity: T) => number | undefined;
  /** Sort key inside the kind's list (default: the id). */
  listKey?: (entity: T) => string;
}

/**
 * The base of every state-table repository: one item per entity (`PK = <kind>#<id>`), listed
 * through GSI1 (`GSI1PK = <kind>`), written only with version-conditional puts so that two
 * writers never silently overwrite each other: the loser gets ConflictError (HTTP 409).
 */
export class StateRepository<T extends Versioned> {
  constructor(
    protected readonly store: TableStore,
    protected readonly config: EntityConfig<T>,
  ) {}

  key(id: string) {
    return { PK: `${this.config.kind}#${id}`, SK: this.config.kind };
  }

  async get(id: string): Promise<T | undefined> {
    const item = await this.store.get(this.key(id), { consistent: true });
    return item ? this.decode(item) : undefined;
  }

  /** Reads an entity or throws NotFoundError. */
  async require(id: string): Promise<T> {
    const entity = await this.get(id);
    if (!entity) throw new NotFoundError(this.config.kind, id);
    return entity;
  }

  /** Stores a new entity at version 1. @throws ConflictError if the id exists. */
  async create(entity: Omit<T, 'version'> & { version?: number }): Promise<T> {
    const created = { ...entity, version: 1 } as T;
    try {
      await this.store.put(this.encode(created), { condition: { kind: 'notExists' } });
    } catch (error) {
      if (error instanceof ConflictError)
        throw new ConflictError(`${this.config.kind} '${entity.id}' already exists`, { cause: error });
      throw error;
    }
    return created;
  }

  /** Creates or replaces without a version check (seeds, idempotent upserts). */
  async upsert(entity: T): Promise<T> {
    await this.store.put(this.encode(entity));
    return entity;
  }

  /**
   * Replaces `entity` if the stored version is still `entity.version`, writing version + 1.
   * @throws ConflictError when another writer got there first.
   */
  async save(entity: T): Promise<T> {
    const next = { ...entity, version: entity.version + 1 };
    try {
      await this.store.put(this.encode(next), { condition: { kind: 'version', version: entity.version } });
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new ConflictError(
          `${this.config.kind} '${entity.id}' changed since version ${entity.version}`,
          { cause: error },
        );
      }
      throw error;
    }
    return next;
  }

  /**
   * Read-modify-write with the version check. With `ifMatch`, a stale version is a 412; without
   * it, a lost race is retried a few times on fresh data before a 409.
   */
  async update(
    id: string,
    change: (current: T) => T,
    options: { ifMatch?: number; retries?: number } = {},
  ): Promise<T> {
    const attempts = options.ifMatch === undefined ? (options.retries ?? 3) : 1;
    for (let attempt = 1; ; attempt++) {
      const current = await this.require(id);
      if (options.ifMatch !== undefined && current.version !== options.ifMatch) {
        throw new PreconditionFailedError(
          `${this.config.kind} '${id}' is at version ${current.version}, not ${options.ifMatch}`,
          current.version,
        );
      }
      try {
        return await this.save(change(current));
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
      }
    }
  }

  async delete(id: string): Promise<void> {
    await this.store.delete(this.key(id));
  }

  /** Every entity of this kind in list-key order (newest first with `reverse`). */
  async list(options: { limit?: number; cursor?: string | null; reverse?: boolean } = {}): Promise<Page<T>> {
    const page = await this.store.query({
      index: 'GSI1',
      pk: this.config.kind,
      limit: options.limit,
      cursor: options.cursor,
      reverse: options.reverse,
    });
    return { items: page.items.map((item) => this.decode(item)), cursor: page.cursor };
  }

  /** Every entity of this kind, following cursors (for small kinds such as rules). */
  async all(): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = await this.list({ cursor, limit: 500 });
      out.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return out;
  }

  /** Entities whose GSI2PK is `pk`, optionally with a sort-key range. */
  async listBy(
    pk: string,
    options: {
      sk?: Parameters<TableStore['query']>[0]['sk'];
      limit?: number;
      cursor?: string | null;
      reverse?: boolean;
    } = {},
  ): Promise<Page<T>> {
    const page = await this.store.query({ index: 'GSI2', pk, ...options });
    return { items: page.items.map((item) => this.decode(item)), cursor: page.cursor };
  }

  protected encode(entity: T): Item {
    return {
      ...this.key(entity.id),
      GSI1PK: this.config.kind,
      GSI1SK: this.config.listKey?.(entity) ?? entity.id,
      ...this.config.indexes?.(entity),
      expiresAt: this.config.expiresAt?.(entity),
      data: entity,
      version: entity.version,
    };
  }

  protected decode(item: Item): T {
    return item.data as T;
  }
}
