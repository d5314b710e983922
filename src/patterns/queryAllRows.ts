import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import type { StoredMessageGroupRow } from '../table/rows.js'

/** Every conversation row a Query of the table (or its index) returns, past the 1 MB page. */
export async function queryAllRows(
  store: StoreContext,
  query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>
): Promise<StoredMessageGroupRow[]> {
  const rows: StoredMessageGroupRow[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await store.documentClient.send(new QueryCommand({ ...query, TableName: store.tableName, ExclusiveStartKey }))
    rows.push(...((page.Items ?? []) as StoredMessageGroupRow[]))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return rows
}
