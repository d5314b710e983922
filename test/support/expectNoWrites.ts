import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { expect } from 'vitest'
import { scanAll } from './engine.js'

/** Runs `action` and checks that not one item of `tableName` changed. */
export async function expectNoWrites<T>(client: DynamoDBClient, tableName: string, action: () => Promise<T>): Promise<T> {
  const before = await scanAll(client, tableName)
  const result = await action()
  expect(await scanAll(client, tableName)).toEqual(before)
  return result
}
