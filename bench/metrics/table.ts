/** The metrics benchmark's in-memory table, telling which kind of item each unit was charged for. */
import type { Item, ItemKey, Page, Query, Tables } from '@vigil/core/ports';
import { itemBytes, MemoryTableStore, readUnits, writeUnits } from '@vigil/dynamo';
import { configurePlatform } from '../../packages/functions/src/platform/context';

/** What the metrics table's items are, by partition key. */
export function category(pk: unknown): string {
  const k = String(pk);
  if (k.startsWith('SEGWIN')) return 'windowMarkers';
  if (k.startsWith('SEG#')) return 'segments';
  if (k.startsWith('MB#')) return 'blocks';
  if (k.startsWith('MR')) return 'rollups';
  if (k === 'COMPACTION') return 'compactionState';
  return 'seriesIndex';
}

/** Units charged (and item bytes read) per kind of item. */
export type Charges = Record<string, { write: number; read: number; readBytes: number }>;

export class AttributingTable extends MemoryTableStore {
  readonly units: Charges = {};

  private charge(pk: unknown, kind: 'write' | 'read', units: number, bytes = 0): void {
    const c = category(pk);
    this.units[c] ??= { write: 0, read: 0, readBytes: 0 };
    this.units[c][kind] += units;
    if (kind === 'read') this.units[c].readBytes += bytes;
  }

  override async put(item: Item, options?: Parameters<MemoryTableStore['put']>[1]): Promise<void> {
    await super.put(item, options);
    this.charge(item.PK, 'write', writeUnits(itemBytes(item)));
  }

  override async increment(key: ItemKey, counters: Record<string, number>, set?: Item): Promise<Item> {
    const out = await super.increment(key, counters, set);
    this.charge(key.PK, 'write', writeUnits(itemBytes(out)));
    return out;
  }

  override async get(key: ItemKey, options?: { consistent?: boolean }): Promise<Item | undefined> {
    const out = await super.get(key, options);
    const bytes = out ? itemBytes(out) : 0;
    this.charge(key.PK, 'read', readUnits(bytes || 1, options?.consistent), bytes);
    return out;
  }

  override async query(query: Query): Promise<Page> {
    const out = await super.query(query);
    const bytes = out.items.reduce((n, i) => n + itemBytes(i), 0);
    this.charge(query.pk, 'read', readUnits(bytes, query.consistent), bytes);
    return out;
  }

  /** Copies of the charges so far, to subtract from later ones. */
  snapshot(): Charges {
    return structuredClone(this.units);
  }
}

/** Read units and bytes charged since `before`, over every kind of item. */
export function readSince(
  table: AttributingTable,
  before: Charges,
): { readUnits: number; readBytes: number } {
  let units = 0;
  let bytes = 0;
  for (const [k, u] of Object.entries(table.units)) {
    units += u.read - (before[k]?.read ?? 0);
    bytes += u.readBytes - (before[k]?.readBytes ?? 0);
  }
  return { readUnits: Math.round(units), readBytes: bytes };
}

/** A fresh attributing metrics table, installed as the platform's. */
export function useTable(): AttributingTable {
  const metrics = new AttributingTable('metrics');
  configurePlatform({
    tables: {
      metrics,
      state: new MemoryTableStore('state'),
      logs: new MemoryTableStore('logs'),
    } as unknown as Tables,
  });
  return metrics;
}
