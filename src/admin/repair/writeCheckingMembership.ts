import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../../createStoreContext.js'
import { memberSk, messagePk } from '../../keys/keys.js'
import { readCancellation } from '../../transactions/readCancellation.js'
import type { TransactItem } from '../maintenance/TransactItem.js'

/**
 * Writes a user's row in one transaction with a check of their membership item (there when `member`, absent
 * otherwise), so the row follows the membership as it is at the moment of the write. Returns `false`, having written
 * nothing, when a condition failed (the check's, or the write's own).
 */
export async function writeCheckingMembership(
  store: StoreContext,
  messageGroupUuid: string,
  userUuid: string,
  member: boolean,
  write: TransactItem
): Promise<boolean> {
  const check: TransactItem = {
    ConditionCheck: {
      TableName: store.tableName,
      Key: { pk: messagePk(messageGroupUuid), sk: memberSk(userUuid) },
      ConditionExpression: member ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)'
    }
  }
  try {
    await store.documentClient.send(new TransactWriteCommand({ TransactItems: [check, write] }))
    return true
  } catch (error) {
    if (readCancellation(error)?.conditionFailed.length) return false
    throw error
  }
}
