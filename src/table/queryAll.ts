import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'

/** Every item a Query of the table (or an index) returns, past the 1 MB page, as stored. */
export async function queryAll<T = Record<string, unknown>>(
  store: StoreContext,
  query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>
): Promise<T[]> {
  const items: T[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await store.documentClient.send(new QueryCommand({ ...query, TableName: store.tableName, ExclusiveStartKey }))
    items.push(...((page.Items ?? []) as T[]))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return items
}
