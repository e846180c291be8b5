import { ConflictError, NotFoundError, PreconditionFailedError } from '@vigil/core';
import type { TableStore } from '@vigil/core/ports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTableStore } from './memory-table-store';
import { StateRepository } from './repository';
import { startTestDynamo } from './testing';

interface Thing {
  id: string;
  version: number;
  name: string;
  due?: string;
}

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
beforeAll(async () => {
  dynamo = await startTestDynamo('repo');
});
afterAll(() => dynamo.stop());

let n = 0;
const stores: Array<[string, () => TableStore]> = [
  ['memory', () => new MemoryTableStore('state')],
  ['dynamodb', () => dynamo.tables.state],
];

describe.each(stores)('StateRepository on %s', (_, store) => {
  const repo = () =>
    new StateRepository<Thing>(store(), {
      kind: `thing${n++}`,
      indexes: (t) => (t.due ? { GSI2PK: 'due', GSI2SK: t.due } : {}),
    });

  it('creates at version 1 and refuses a second create of the same id', async () => {
    const r = repo();
    expect((await r.create({ id: 'a', name: 'x' })).version).toBe(1);
    await expect(r.create({ id: 'a', name: 'y' })).rejects.toBeInstanceOf(ConflictError);
    expect((await r.require('a')).name).toBe('x');
  });

  it('saves only from the current version: the loser of a race gets ConflictError', async () => {
    const r = repo();
    const v1 = await r.create({ id: 'a', name: 'x' });
    expect((await r.save({ ...v1, name: 'first' })).version).toBe(2);
    await expect(r.save({ ...v1, name: 'second' })).rejects.toBeInstanceOf(ConflictError);
    expect((await r.require('a')).name).toBe('first');
  });

  it('updates with If-Match, answering a stale version with PreconditionFailedError', async () => {
    const r = repo();
    await r.create({ id: 'a', name: 'x' });
    expect((await r.update('a', (t) => ({ ...t, name: 'y' }), { ifMatch: 1 })).version).toBe(2);
    await expect(r.update('a', (t) => ({ ...t, name: 'z' }), { ifMatch: 1 })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(r.update('missing', (t) => t)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('retries read-modify-write races so concurrent increments are not lost', async () => {
    const r = repo();
    await r.create({ id: 'c', name: '0' });
    await Promise.all(
      Array.from({ length: 5 }, () =>
        r.update('c', (t) => ({ ...t, name: String(Number(t.name) + 1) }), { retries: 10 }),
      ),
    );
    expect((await r.require('c')).name).toBe('5');
  });

  it('lists all of its kind with cursors and by secondary index', async () => {
    const r = repo();
    for (const id of ['a', 'b', 'c'])
      await r.create({ id, name: id, due: id === 'b' ? '2026-01-01' : undefined });
    const first = await r.list({ limit: 2 });
    const second = await r.list({ limit: 2, cursor: first.cursor });
    expect([...first.items, ...second.items].map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect((await r.all()).map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect((await r.listBy('due', { sk: { lte: '2026-12-31' } })).items.map((t) => t.id)).toContain('b');
  });
});
