import { GetCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../../createStoreContext.js'
import { rowKey } from '../../keys/keys.js'
import { writeCheckingMembership } from './writeCheckingMembership.js'

/**
 * Deletes a user's row of a conversation they are not a member of (written by other code, or left by a removal that
 * stopped halfway), only while there is still no membership item, so a member added meanwhile keeps theirs. Returns
 * whether a row was deleted (in a dry run, whether one would be).
 */
export async function removeOrphanRow(store: StoreContext, messageGroupUuid: string, ownerUuid: string, dryRun: boolean): Promise<boolean> {
  const Key = rowKey(ownerUuid, messageGroupUuid)
  const { Item } = await store.documentClient.send(new GetCommand({ TableName: store.tableName, Key, ConsistentRead: true }))
  if (!Item) return false
  if (dryRun) return true
  const remove = { Delete: { TableName: store.tableName, Key, ConditionExpression: 'attribute_exists(pk)' } }
  return writeCheckingMembership(store, messageGroupUuid, ownerUuid, false, remove)
}
