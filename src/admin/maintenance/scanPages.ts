import { ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../../createStoreContext.js'

/**
 * Scans the table (or an index) to the end, `pageSize` items a request, handing each item to `visit` and telling
 * `onPage` the items read so far after each page. Returns the number of items read.
 */
export async function scanPages(
  store: StoreContext,
  input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
  options: { pageSize: number; onPage?: (itemsRead: number) => void; read?: number },
  visit: (item: Record<string, unknown>) => void
): Promise<number> {
  let items = options.read ?? 0
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await store.documentClient.send(new ScanCommand({ ...input, TableName: store.tableName, Limit: options.pageSize, ExclusiveStartKey }))
    for (const item of page.Items ?? []) visit(item)
    items += page.ScannedCount ?? page.Items?.length ?? 0
    options.onPage?.(items)
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return items
}
