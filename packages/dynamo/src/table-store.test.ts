import { afterAll, beforeAll } from 'vitest';
import { MemoryTableStore } from './memory-table-store';
import { tableStoreContract } from './table-store.contract';
import { startTestDynamo } from './testing';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let n = 0;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.stop());

tableStoreContract('memory', async () => new MemoryTableStore('state'));
tableStoreContract('dynamodb (dynalite)', async () => {
  // One fresh partition namespace per test, in place of a fresh table.
  const store = dynamo.tables.state;
  const prefix = `t${n++}:`;
  return prefixed(store, prefix);
});

/** Runs each contract test in its own key namespace of the shared table. */
function prefixed(
  store: import('@vigil/core/ports').TableStore,
  prefix: string,
): import('@vigil/core/ports').TableStore {
  const p = (item: Record<string, unknown>) => ({
    ...item,
    ...(item.PK !== undefined && { PK: prefix + item.PK }),
    ...(item.GSI1PK !== undefined && { GSI1PK: prefix + item.GSI1PK }),
    ...(item.GSI2PK !== undefined && { GSI2PK: prefix + item.GSI2PK }),
  });
  const u = (item: Record<string, unknown>) => ({
    ...item,
    PK: String(item.PK).slice(prefix.length),
    ...(item.GSI1PK !== undefined && { GSI1PK: String(item.GSI1PK).slice(prefix.length) }),
    ...(item.GSI2PK !== undefined && { GSI2PK: String(item.GSI2PK).slice(prefix.length) }),
  });
  const k = (key: { PK: string; SK: string }) => ({ PK: prefix + key.PK, SK: key.SK });
  return {
    name: store.name,
    get: async (key, o) => {
      const item = await store.get(k(key), o);
      return item && u(item);
    },
    put: (item, o) => store.put(p(item), o),
    delete: (key, o) => store.delete(k(key), o),
    increment: async (key, c, s) => u(await store.increment(k(key), c, s)),
    query: async (q) => {
      const page = await store.query({ ...q, pk: prefix + q.pk });
      return { items: page.items.map(u), cursor: page.cursor };
    },
    batchPut: (items) => store.batchPut(items.map(p)),
    batchGet: async (keys) => (await store.batchGet(keys.map(k))).map(u),
    batchDelete: (keys) => store.batchDelete(keys.map(k)),
    consumed: () => store.consumed(),
  };
}
