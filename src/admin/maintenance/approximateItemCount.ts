import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import type { StoreContext } from '../../createStoreContext.js'

/** The table's item count as DynamoDB last computed it (about every six hours), for a progress bar; none if unreadable. */
export async function approximateItemCount(store: StoreContext): Promise<number | undefined> {
  try {
    const { Table } = await store.documentClient.send(new DescribeTableCommand({ TableName: store.tableName }))
    return Table?.ItemCount
  } catch {
    return undefined // no dynamodb:DescribeTable permission: the bar goes without a total
  }
}
