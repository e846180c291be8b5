import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { TableRow } from '@vigil/infra/manifest';

/**
 * Creates the manifest's tables where they are missing (the local runtime and tests; on AWS,
 * CloudFormation owns them). Returns the names it created.
 */
export async function ensureTables(
  client: DynamoDBClient,
  rows: TableRow[],
  physicalName: (logical: string) => string,
): Promise<string[]> {
  const created: string[] = [];
  for (const row of rows) {
    const TableName = physicalName(row.name);
    try {
      await client.send(new DescribeTableCommand({ TableName }));
      continue;
    } catch (error) {
      if (
        !(error instanceof ResourceNotFoundException) &&
        (error as Error).name !== 'ResourceNotFoundException'
      )
        throw error;
    }
    const attributes = new Set([
      row.partitionKey,
      row.sortKey,
      ...row.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]);
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: row.partitionKey, KeyType: 'HASH' },
          { AttributeName: row.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: row.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    await waitActive(client, TableName);
    created.push(TableName);
  }
  return created;
}

async function waitActive(client: DynamoDBClient, TableName: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName }));
    const indexesReady = (out.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (out.Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`table ${TableName} did not become active`);
}
