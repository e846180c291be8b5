import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Tables } from '@vigil/core/ports';
import { manifest } from '@vigil/infra/manifest';
import dynalite from 'dynalite';
import { ensureTables } from './schema';
import { createDocumentClient, DynamoTableStore } from './table-store';

/** A throwaway in-memory DynamoDB (dynalite) with the manifest's tables, for tests of adapters. */
export async function startTestDynamo(
  prefix = 'test',
): Promise<{ tables: Tables; endpoint: string; stop: () => Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = {
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const name = (logical: string) => `${prefix}-${logical}`;
  await ensureTables(new DynamoDBClient(config), manifest.tables, name);
  const client = createDocumentClient(config);
  const tables = Object.fromEntries(
    manifest.tables.map((t) => [t.name, new DynamoTableStore(t.name, name(t.name), client)]),
  ) as unknown as Tables;
  return { tables, endpoint, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
