import { expect } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { ValidationError } from '../../src/index.js'
import { scanAll } from './engine.js'

/** The issue codes of the `ValidationError` that `run` throws or rejects with; anything else fails the test. */
export async function validationCodes(run: () => unknown): Promise<string[]> {
  const error = await (async () => run())().then(
    () => undefined,
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(ValidationError)
  return (error as ValidationError).issues.map((issue) => issue.code)
}

/** {@link validationCodes}, after checking that not one item of the table changed. */
export async function validationCodesWithoutWrites(client: DynamoDBClient, tableName: string, run: () => unknown): Promise<string[]> {
  const before = await scanAll(client, tableName)
  const codes = await validationCodes(run)
  expect(await scanAll(client, tableName)).toEqual(before)
  return codes
}
