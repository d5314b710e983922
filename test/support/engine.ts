import { randomUUID } from 'node:crypto'
import { afterAll, inject } from 'vitest'
import { CreateTableCommand, DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { tableDefinition } from '../../src/index.js'
import { localDynamoDbClient } from '../../src/local/index.js'

/** A client for the engine the global setup started. */
export function engineClient(options: { maxAttempts?: number } = {}): DynamoDBClient {
  return localDynamoDbClient(inject('dynamodbEndpoint'), options)
}

/** A fresh table named after the test file, on demand. */
export async function createTestTable(client: DynamoDBClient, label = 'test'): Promise<string> {
  const tableName = `${label}-${randomUUID().slice(0, 8)}`
  await client.send(new CreateTableCommand(tableDefinition({ tableName, billing: 'on-demand' })))
  return tableName
}

export async function dropTestTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName }))
}

/**
 * A fresh table for one test file, dropped (and its client closed) after the file's tests. Call it with top-level
 * `await` in the test module.
 */
export async function testTable(label: string): Promise<{ client: DynamoDBClient; tableName: string }> {
  const client = engineClient()
  const tableName = await createTestTable(client, label)
  afterAll(async () => {
    await dropTestTable(client, tableName)
    client.destroy()
  })
  return { client, tableName }
}

/** Every item of the table, for "nothing was written" checks. */
export async function scanAll(client: DynamoDBClient, tableName: string): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(client)
  const items: Record<string, unknown>[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey, ConsistentRead: true }))
    items.push(...(page.Items ?? []))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return items
}

export const user = (handle: string) => ({
  uuid: randomUUID(),
  displayName: handle.charAt(0).toUpperCase() + handle.slice(1),
  handle
})
