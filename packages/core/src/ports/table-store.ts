/**
 * The storage port every Vigil table is reached through. DynamoDB implements it on AWS and
 * locally (over the embedded store); an in-memory twin implements it for unit tests. Both pass
 * one contract suite (`@vigil/dynamo` table-store.contract.ts), so the fake cannot drift.
 *
 * Items use overloaded keys: `PK`/`SK`, two generic indexes `GSI1PK`/`GSI1SK` and
 * `GSI2PK`/`GSI2SK`, and the TTL attribute `expiresAt` (epoch seconds). Consistency comes from
 * single-item conditional writes only: no transactions.
 */
export type Item = Record<string, unknown>;

/** The primary key of an item. */
export interface ItemKey {
  PK: string;
  SK: string;
}

/** The generic secondary indexes every table carries. */
export type IndexName = 'GSI1' | 'GSI2';

/** A condition on a single-item write; a failed one throws ConflictError. */
export type WriteCondition =
  | { kind: 'notExists' }
  | { kind: 'exists' }
  /** The stored item's `version` attribute must equal this number. */
  | { kind: 'version'; version: number };

/** A key-condition query over the table or one of its indexes. */
export interface Query {
  index?: IndexName;
  /** The partition key value (of the index when `index` is set). */
  pk: string;
  /** Restricts sort keys: prefix, inclusive range or one bound. */
  sk?: { beginsWith: string } | { between: [string, string] } | { gte: string } | { lte: string };
  limit?: number;
  /** An opaque cursor from a previous page. */
  cursor?: string | null;
  /** Newest (largest sort key) first. */
  reverse?: boolean;
  /** A strongly consistent read (twice the read units; ignored on an index). */
  consistent?: boolean;
}

/** One page of a query; `cursor` is null on the last page. */
export interface Page<T = Item> {
  items: T[];
  cursor: string | null;
}

/** Counters the store has charged, in DynamoDB capacity units. */
export interface ConsumedCapacity {
  readUnits: number;
  writeUnits: number;
}

/** A table of items with single-item conditional writes and batched reads and writes. */
export interface TableStore {
  /** The table's logical name from the manifest (`state`, `metrics`, `logs`). */
  readonly name: string;
  get(key: ItemKey, options?: { consistent?: boolean }): Promise<Item | undefined>;
  /** Writes a whole item. @throws ConflictError when `condition` fails. */
  put(item: Item, options?: { condition?: WriteCondition }): Promise<void>;
  /** Deletes an item (no error when absent unless a condition says so). */
  delete(key: ItemKey, options?: { condition?: WriteCondition }): Promise<void>;
  /**
   * Atomically adds to numeric attributes and sets others, creating the item if needed;
   * returns the item after the update.
   */
  increment(key: ItemKey, counters: Record<string, number>, set?: Item): Promise<Item>;
  query(query: Query): Promise<Page>;
  /** Writes many items; no conditions, last write wins. */
  batchPut(items: Item[]): Promise<void>;
  /** Reads many items; absent keys are left out, order is not kept. */
  batchGet(keys: ItemKey[]): Promise<Item[]>;
  batchDelete(keys: ItemKey[]): Promise<void>;
  /** Capacity charged so far (benchmarks read this). */
  consumed(): ConsumedCapacity;
}

/** The logical tables of the manifest. */
export interface Tables {
  state: TableStore;
  metrics: TableStore;
  logs: TableStore;
}
