import { ConflictError } from '@vigil/core';
import type {
  ConsumedCapacity,
  Item,
  ItemKey,
  Page,
  Query,
  TableStore,
  WriteCondition,
} from '@vigil/core/ports';
import { itemBytes, readUnits, writeUnits } from './capacity';
import { decodeCursor, encodeCursor } from './cursor';

const id = (pk: unknown, sk: unknown) => `${pk}\u0000${sk}`;
/**
 * A deep copy, as structuredClone makes of item values (bytes become a Uint8Array), written out
 * for the plain shapes items have: structuredClone's serializer costs more than a small search.
 */
function clone<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Uint8Array) return new Uint8Array(v) as T;
  if (Array.isArray(v)) return v.map(clone) as T;
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = clone((v as Record<string, unknown>)[k]);
  return out as T;
}

/**
 * The in-memory twin of DynamoTableStore for unit tests and benchmarks. It passes the same
 * contract suite and charges capacity units by DynamoDB's rules.
 */
export class MemoryTableStore implements TableStore {
  private readonly items = new Map<string, Item>();
  /** The items of each partition key, so a query on the table reads only its partition. */
  private readonly partitions = new Map<string, Map<string, Item>>();
  private readonly capacity: ConsumedCapacity = { readUnits: 0, writeUnits: 0 };
  /** Each stored item's size, worked out at its first read: stored items are never changed in place. */
  private readonly sizes = new WeakMap<Item, number>();

  constructor(readonly name: string) {}

  async get(key: ItemKey, options?: { consistent?: boolean }): Promise<Item | undefined> {
    const item = this.items.get(id(key.PK, key.SK));
    this.capacity.readUnits += readUnits(item ? this.size(item) : 1, options?.consistent);
    return item && clone(item);
  }

  async put(item: Item, options?: { condition?: WriteCondition }): Promise<void> {
    this.check(this.items.get(id(item.PK, item.SK)), options?.condition);
    this.capacity.writeUnits += writeUnits(itemBytes(item));
    this.store(clone(stripUndefined(item)));
  }

  async delete(key: ItemKey, options?: { condition?: WriteCondition }): Promise<void> {
    this.check(this.items.get(id(key.PK, key.SK)), options?.condition);
    this.capacity.writeUnits += 1;
    this.items.delete(id(key.PK, key.SK));
    const partition = this.partitions.get(String(key.PK));
    partition?.delete(id(key.PK, key.SK));
    if (partition?.size === 0) this.partitions.delete(String(key.PK));
  }

  async increment(key: ItemKey, counters: Record<string, number>, set: Item = {}): Promise<Item> {
    const current = this.items.get(id(key.PK, key.SK)) ?? { PK: key.PK, SK: key.SK };
    const next: Item = { ...current, ...stripUndefined(set) };
    for (const [name, by] of Object.entries(counters))
      next[name] = ((current[name] as number | undefined) ?? 0) + by;
    this.capacity.writeUnits += writeUnits(itemBytes(next));
    this.store(next);
    return clone(next);
  }

  async query(query: Query): Promise<Page> {
    const pkName = query.index ? `${query.index}PK` : 'PK';
    const skName = query.index ? `${query.index}SK` : 'SK';
    const candidates = query.index
      ? this.items.values()
      : (this.partitions.get(query.pk)?.values() ?? ([] as Item[]));
    let rows: Item[] = [];
    for (const item of candidates)
      if (
        item[pkName] === query.pk &&
        item[skName] !== undefined &&
        skMatches(String(item[skName]), query.sk)
      )
        rows.push(item);
    rows.sort((a, b) => compare(a, b, skName) * (query.reverse ? -1 : 1));
    const after = decodeCursor(query.cursor);
    if (after) {
      const position = rows.findIndex((item) => item.PK === after.PK && item.SK === after.SK);
      rows = rows.slice(position + 1);
    }
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const more = rows.length > page.length && last;
    this.capacity.readUnits += readUnits(
      page.reduce((n, item) => n + this.size(item), 0),
      query.consistent && !query.index,
    );
    return { items: page.map(clone), cursor: more ? encodeCursor({ PK: last.PK, SK: last.SK }) : null };
  }

  async batchPut(items: Item[]): Promise<void> {
    for (const item of items) await this.put(item);
  }

  async batchGet(keys: ItemKey[]): Promise<Item[]> {
    const out: Item[] = [];
    for (const key of keys) {
      const item = await this.get(key);
      if (item) out.push(item);
    }
    return out;
  }

  async batchDelete(keys: ItemKey[]): Promise<void> {
    for (const key of keys) await this.delete(key);
  }

  consumed(): ConsumedCapacity {
    return { ...this.capacity };
  }

  private size(item: Item): number {
    let bytes = this.sizes.get(item);
    if (bytes === undefined) {
      bytes = itemBytes(item);
      this.sizes.set(item, bytes);
    }
    return bytes;
  }

  private store(item: Item): void {
    const key = id(item.PK, item.SK);
    this.items.set(key, item);
    let partition = this.partitions.get(String(item.PK));
    if (!partition) {
      partition = new Map();
      this.partitions.set(String(item.PK), partition);
    }
    partition.set(key, item);
  }

  private check(current: Item | undefined, condition: WriteCondition | undefined): void {
    if (!condition) return;
    const ok =
      condition.kind === 'notExists'
        ? current === undefined
        : condition.kind === 'exists'
          ? current !== undefined
          : current !== undefined && current.version === condition.version;
    if (!ok) throw new ConflictError(`conditional write on ${this.name} failed (${condition.kind})`);
  }
}

function stripUndefined(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined));
}

function skMatches(sk: string, condition: Query['sk']): boolean {
  if (!condition) return true;
  if ('beginsWith' in condition) return sk.startsWith(condition.beginsWith);
  if ('between' in condition) return sk >= condition.between[0] && sk <= condition.between[1];
  if ('gte' in condition) return sk >= condition.gte;
  return sk <= condition.lte;
}

function compare(a: Item, b: Item, skName: string): number {
  const x = String(a[skName]);
  const y = String(b[skName]);
  if (x !== y) return x < y ? -1 : 1;
  const p = `${a.PK}\u0000${a.SK}`;
  const q = `${b.PK}\u0000${b.SK}`;
  return p < q ? -1 : p > q ? 1 : 0;
}
