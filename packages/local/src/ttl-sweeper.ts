import { BatchWriteItemCommand, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '@vigil/core';

/**
 * DynamoDB deletes items whose TTL attribute has passed; the embedded store does not, so the
 * local runtime sweeps them (by its clock, so the test clock ages data too).
 */
export async function sweepExpired(
  client: DynamoDBClient,
  tableNames: string[],
  clock: Clock,
  attribute = 'expiresAt',
): Promise<number> {
  const nowSeconds = Math.floor(clock.now() / 1000);
  let deleted = 0;
  for (const TableName of tableNames) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName,
          FilterExpression: '#t < :now',
          ExpressionAttributeNames: { '#t': attribute, '#pk': 'PK', '#sk': 'SK' },
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
          ProjectionExpression: '#pk, #sk',
          ExclusiveStartKey: start as never,
        }),
      );
      const keys = page.Items ?? [];
      for (let i = 0; i < keys.length; i += 25) {
        let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
        while (requests.length) {
          const out = await client.send(
            new BatchWriteItemCommand({ RequestItems: { [TableName]: requests } }),
          );
          requests = (out.UnprocessedItems?.[TableName] ?? []) as typeof requests;
        }
      }
      deleted += keys.length;
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return deleted;
}
