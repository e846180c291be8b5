import { ConflictError } from '@vigil/core';
import type { TableStore } from '@vigil/core/ports';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * The behaviour every TableStore must have. Run against the in-memory twin and against
 * DynamoDB (dynalite), so the fake used by unit tests cannot drift from the real store.
 */
export function tableStoreContract(name: string, make: () => Promise<TableStore>): void {
  describe(`TableStore contract: ${name}`, () => {
    let store: TableStore;
    beforeEach(async () => {
      store = await make();
    });

    it('reads back what it wrote and nothing for an absent key', async () => {
      await store.put({ PK: 'a', SK: '1', n: 1, nested: { list: [1, 'x'] } });
      expect(await store.get({ PK: 'a', SK: '1' })).toEqual({
        PK: 'a',
        SK: '1',
        n: 1,
        nested: { list: [1, 'x'] },
      });
      expect(await store.get({ PK: 'a', SK: '2' })).toBeUndefined();
    });

    it('rejects a create of an existing key with ConflictError', async () => {
      await store.put({ PK: 'a', SK: '1' }, { condition: { kind: 'notExists' } });
      await expect(
        store.put({ PK: 'a', SK: '1' }, { condition: { kind: 'notExists' } }),
      ).rejects.toBeInstanceOf(ConflictError);
    });

    it('accepts a versioned write only at the stored version', async () => {
      await store.put({ PK: 'v', SK: 'v', version: 1 });
      await store.put({ PK: 'v', SK: 'v', version: 2 }, { condition: { kind: 'version', version: 1 } });
      await expect(
        store.put({ PK: 'v', SK: 'v', version: 2 }, { condition: { kind: 'version', version: 1 } }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(
        store.put({ PK: 'none', SK: 'v', version: 1 }, { condition: { kind: 'version', version: 0 } }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await store.get({ PK: 'v', SK: 'v' }))?.version).toBe(2);
    });

    it('lets exactly one of many concurrent versioned writers win', async () => {
      await store.put({ PK: 'race', SK: 'r', version: 1 });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          store.put(
            { PK: 'race', SK: 'r', version: 2, by: i },
            { condition: { kind: 'version', version: 1 } },
          ),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError),
      ).toHaveLength(9);
    });

    it('queries a partition in sort-key order, both ways, with prefix and range conditions', async () => {
      await store.batchPut(['b', 'a', 'c', 'ab'].map((sk) => ({ PK: 'q', SK: sk })));
      await store.put({ PK: 'other', SK: 'a' });
      const sks = async (q: Parameters<TableStore['query']>[0]) =>
        (await store.query(q)).items.map((i) => i.SK);
      expect(await sks({ pk: 'q' })).toEqual(['a', 'ab', 'b', 'c']);
      expect(await sks({ pk: 'q', reverse: true })).toEqual(['c', 'b', 'ab', 'a']);
      expect(await sks({ pk: 'q', sk: { beginsWith: 'a' } })).toEqual(['a', 'ab']);
      expect(await sks({ pk: 'q', sk: { between: ['ab', 'b'] } })).toEqual(['ab', 'b']);
      expect(await sks({ pk: 'q', sk: { gte: 'b' } })).toEqual(['b', 'c']);
      expect(await sks({ pk: 'q', sk: { lte: 'ab' } })).toEqual(['a', 'ab']);
    });

    it('pages with an opaque cursor until null', async () => {
      await store.batchPut(Array.from({ length: 7 }, (_, i) => ({ PK: 'p', SK: `k${i}` })));
      const seen: unknown[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.query({ pk: 'p', limit: 3, cursor });
        seen.push(...page.items.map((i) => i.SK));
        cursor = page.cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    });

    it('queries the generic indexes', async () => {
      await store.batchPut([
        { PK: 'x#1', SK: 'x', GSI1PK: 'kind', GSI1SK: '2' },
        { PK: 'x#2', SK: 'x', GSI1PK: 'kind', GSI1SK: '1' },
        { PK: 'x#3', SK: 'x', GSI2PK: 'due', GSI2SK: '5' },
      ]);
      expect((await store.query({ index: 'GSI1', pk: 'kind' })).items.map((i) => i.PK)).toEqual([
        'x#2',
        'x#1',
      ]);
      expect(
        (await store.query({ index: 'GSI2', pk: 'due', sk: { lte: '9' } })).items.map((i) => i.PK),
      ).toEqual(['x#3']);
    });

    it('increments counters atomically and creates the item if needed', async () => {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.increment({ PK: 'c', SK: 'c' }, { hits: 1, bytes: 10 }, { last: 'x' }),
        ),
      );
      const item = await store.get({ PK: 'c', SK: 'c' });
      expect(item).toMatchObject({ hits: 20, bytes: 200, last: 'x' });
    });

    it('batch-gets, batch-deletes and deletes', async () => {
      await store.batchPut(
        Array.from({ length: 30 }, (_, i) => ({ PK: 'b', SK: String(i).padStart(2, '0') })),
      );
      const keys = Array.from({ length: 30 }, (_, i) => ({ PK: 'b', SK: String(i).padStart(2, '0') }));
      expect(await store.batchGet([...keys, { PK: 'b', SK: 'missing' }])).toHaveLength(30);
      await store.batchDelete(keys.slice(0, 29));
      await store.delete({ PK: 'b', SK: '29' });
      expect((await store.query({ pk: 'b' })).items).toHaveLength(0);
    });

    it('counts the capacity it consumed', async () => {
      const before = store.consumed();
      await store.put({ PK: 'cap', SK: 'cap', blob: 'x'.repeat(3000) });
      await store.get({ PK: 'cap', SK: 'cap' }, { consistent: true });
      const after = store.consumed();
      expect(after.writeUnits - before.writeUnits).toBe(3);
      expect(after.readUnits - before.readUnits).toBe(1);
    });
  });
}
