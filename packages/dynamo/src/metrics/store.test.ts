import { afterAll } from 'vitest';
import { MemoryTableStore } from '../memory-table-store';
import { startTestDynamo } from '../testing';
import { metricStoreContract } from './store.contract';

const started: Array<() => Promise<void>> = [];
afterAll(() => Promise.all(started.map((stop) => stop())));

metricStoreContract('memory', async () => new MemoryTableStore('metrics'));
// A fresh DynamoDB per test: compaction folds every pending segment, so tests must not share one.
metricStoreContract('dynamodb (dynalite)', async () => {
  const dynamo = await startTestDynamo('metrics');
  started.push(dynamo.stop);
  return dynamo.tables.metrics;
});
