import type { StoreContext } from '../context.js'
import { MESSAGE_GROUP_PREFIX } from '../keys/keys.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { queryAllRows } from './queryAllRows.js'

/**
 * One owner's rows of one conversation, read strongly consistently from the table itself: what the lagging index
 * cannot say for sure. Reads the owner's whole conversation list (the filter does not lower the cost), so Pattern D
 * uses it only as a last resort.
 */
export async function queryOwnerRows(
  store: StoreContext,
  ownerUuid: string,
  messageGroupUuid: string
): Promise<StoredMessageGroupRow[]> {
  return queryAllRows(store, {
    KeyConditionExpression: 'pk = :owner',
    FilterExpression: 'message_group_uuid = :g',
    ExpressionAttributeValues: { ':owner': `${MESSAGE_GROUP_PREFIX}${ownerUuid}`, ':g': messageGroupUuid },
    ConsistentRead: true
  })
}
