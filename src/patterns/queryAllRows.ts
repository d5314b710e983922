import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import type { StoredMessageGroupRow } from '../table/rows.js'

/**
 * Every item a Query of the table (or an index) returns, past the 1 MB page: conversation rows unless the query says
 * otherwise (`T`), as stored.
 */
export async function queryAllRows<T = StoredMessageGroupRow>(
  store: StoreContext,
  query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>
): Promise<T[]> {
  const rows: T[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await store.documentClient.send(new QueryCommand({ ...query, TableName: store.tableName, ExclusiveStartKey }))
    rows.push(...((page.Items ?? []) as T[]))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return rows
}
