import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, UnavailableError } from '@vigil/core';
import type {
  ConsumedCapacity,
  Item,
  ItemKey,
  Page,
  Query,
  TableStore,
  WriteCondition,
} from '@vigil/core/ports';
import { decodeCursor, encodeCursor } from './cursor';

/** Builds the DynamoDB document client; `endpoint` points at the local runtime's embedded store. */
export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ maxAttempts: 4, ...config });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

const BATCH_WRITE = 25;
const BATCH_GET = 100;
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);

/** TableStore over a real DynamoDB table (on AWS, or the embedded store of the local runtime). */
export class DynamoTableStore implements TableStore {
  private readonly capacity: ConsumedCapacity = { readUnits: 0, writeUnits: 0 };

  constructor(
    readonly name: string,
    readonly tableName: string,
    private readonly client: DynamoDBDocumentClient,
  ) {}

  async get(key: ItemKey, options?: { consistent?: boolean }): Promise<Item | undefined> {
    const out = await this.call(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: key,
          ConsistentRead: options?.consistent,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    this.charge(out.ConsumedCapacity, 'read');
    return out.Item;
  }

  async put(item: Item, options?: { condition?: WriteCondition }): Promise<void> {
    const out = await this.call(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...conditionOf(options?.condition),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    this.charge(out.ConsumedCapacity, 'write');
  }

  async delete(key: ItemKey, options?: { condition?: WriteCondition }): Promise<void> {
    const out = await this.call(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ...conditionOf(options?.condition),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    this.charge(out.ConsumedCapacity, 'write');
  }

  async increment(key: ItemKey, counters: Record<string, number>, set: Item = {}): Promise<Item> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    const sets: string[] = [];
    let i = 0;
    for (const [name, by] of Object.entries(counters)) {
      names[`#a${i}`] = name;
      values[`:a${i}`] = by;
      adds.push(`#a${i} :a${i}`);
      i++;
    }
    for (const [name, value] of Object.entries(set)) {
      if (value === undefined || name === 'PK' || name === 'SK') continue;
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      sets.push(`#s${i} = :s${i}`);
      i++;
    }
    const expression = [
      sets.length ? `SET ${sets.join(', ')}` : '',
      adds.length ? `ADD ${adds.join(', ')}` : '',
    ]
      .join(' ')
      .trim();
    const out = await this.call(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    this.charge(out.ConsumedCapacity, 'write');
    return out.Attributes ?? { ...key };
  }

  async query(query: Query): Promise<Page> {
    const pkName = query.index ? `${query.index}PK` : 'PK';
    const skName = query.index ? `${query.index}SK` : 'SK';
    const values: Record<string, unknown> = { ':pk': query.pk };
    let condition = '#pk = :pk';
    const names: Record<string, string> = { '#pk': pkName };
    if (query.sk) {
      names['#sk'] = skName;
      if ('beginsWith' in query.sk) {
        condition += ' AND begins_with(#sk, :sk)';
        values[':sk'] = query.sk.beginsWith;
      } else if ('between' in query.sk) {
        condition += ' AND #sk BETWEEN :lo AND :hi';
        values[':lo'] = query.sk.between[0];
        values[':hi'] = query.sk.between[1];
      } else if ('gte' in query.sk) {
        condition += ' AND #sk >= :sk';
        values[':sk'] = query.sk.gte;
      } else {
        condition += ' AND #sk <= :sk';
        values[':sk'] = query.sk.lte;
      }
    }
    const out = await this.call(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: query.index,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          Limit: query.limit,
          ScanIndexForward: !query.reverse,
          ExclusiveStartKey: decodeCursor(query.cursor),
          // Only the table itself offers strongly consistent reads, not its global indexes.
          ConsistentRead: query.consistent && !query.index ? true : undefined,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    this.charge(out.ConsumedCapacity, 'read');
    return { items: out.Items ?? [], cursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async batchPut(items: Item[]): Promise<void> {
    await this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  async batchDelete(keys: ItemKey[]): Promise<void> {
    await this.batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  async batchGet(keys: ItemKey[]): Promise<Item[]> {
    const out: Item[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET) {
      let pending: ItemKey[] | undefined = dedupeKeys(keys.slice(i, i + BATCH_GET));
      for (let attempt = 0; pending?.length; attempt++) {
        const keysNow: ItemKey[] = pending;
        const res = await this.call(() =>
          this.client.send(
            new BatchGetCommand({
              RequestItems: { [this.tableName]: { Keys: keysNow } },
              ReturnConsumedCapacity: 'TOTAL',
            }),
          ),
        );
        for (const c of res.ConsumedCapacity ?? []) this.charge(c, 'read');
        out.push(...(res.Responses?.[this.tableName] ?? []));
        pending = res.UnprocessedKeys?.[this.tableName]?.Keys as ItemKey[] | undefined;
        if (pending?.length) await backoff(attempt);
      }
    }
    return out;
  }

  consumed(): ConsumedCapacity {
    return { ...this.capacity };
  }

  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH_WRITE) {
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's WriteRequest union is awkward to name here
      let pending: any[] | undefined = requests.slice(i, i + BATCH_WRITE);
      for (let attempt = 0; pending?.length; attempt++) {
        // biome-ignore lint/suspicious/noExplicitAny: as above
        const batch: any[] = pending;
        const res: BatchWriteCommandOutput = await this.call(() =>
          this.client.send(
            new BatchWriteCommand({
              RequestItems: { [this.tableName]: batch },
              ReturnConsumedCapacity: 'TOTAL',
            }),
          ),
        );
        for (const c of res.ConsumedCapacity ?? []) this.charge(c, 'write');
        pending = res.UnprocessedItems?.[this.tableName];
        if (pending?.length) await backoff(attempt);
      }
    }
  }

  private charge(
    consumed: { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number } | undefined,
    kind: 'read' | 'write',
  ): void {
    if (!consumed) return;
    const units =
      kind === 'read'
        ? (consumed.ReadCapacityUnits ?? consumed.CapacityUnits ?? 0)
        : (consumed.WriteCapacityUnits ?? consumed.CapacityUnits ?? 0);
    if (kind === 'read') this.capacity.readUnits += units;
    else this.capacity.writeUnits += units;
  }

  /** Maps DynamoDB failures onto Vigil's errors: a failed condition is a conflict, an outage is retryable. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError(`conditional write on ${this.name} failed`, { cause: error });
      const name = (error as { name?: string }).name ?? '';
      const code = (error as { code?: string }).code ?? '';
      if (
        RETRYABLE.has(name) ||
        ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code) ||
        name === 'TimeoutError'
      ) {
        throw new UnavailableError(`the ${this.name} table is unavailable`, 5, { cause: error });
      }
      throw error;
    }
  }
}

function conditionOf(condition: WriteCondition | undefined) {
  if (!condition) return {};
  switch (condition.kind) {
    case 'notExists':
      return { ConditionExpression: 'attribute_not_exists(PK)' };
    case 'exists':
      return { ConditionExpression: 'attribute_exists(PK)' };
    case 'version':
      return {
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': condition.version },
      };
  }
}

function dedupeKeys(keys: ItemKey[]): ItemKey[] {
  const seen = new Map<string, ItemKey>();
  for (const key of keys) seen.set(`${key.PK}\u0000${key.SK}`, { PK: key.PK, SK: key.SK });
  return [...seen.values()];
}

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
