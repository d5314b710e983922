import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'
import { rowKey } from '../keys/keys.js'
import { isConditionFailed } from '../transactions/isConditionFailed.js'

/**
 * The sender's own row brought to their message within the send, so the list they reload shows it at once: one
 * UpdateItem, conditioned on the row existing, showing an older message, and having a read marker before this
 * message (sending marks read up to it, with nothing unread after it, since no newer message has reached the row).
 * When the condition fails, the stream's Pattern D does the rest (it finds the row current otherwise). Returns the
 * row's new revision, or `undefined` when nothing was written.
 */
export async function updateSenderRow(
  store: StoreContext,
  message: { messageGroupUuid: string; sortKey: string; message: string; userUuid: string; displayName: string; handle: string }
): Promise<number | undefined> {
  try {
    const { Attributes } = await store.documentClient.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: rowKey(message.userUuid, message.messageGroupUuid),
        UpdateExpression:
          'SET last_sk = :sk, message = :text, sender_uuid = :sender, sender_display_name = :name, sender_handle = :handle, ' +
          'last_read_sk = :sk, unread_count = :zero REMOVE unread_owner_uuid ADD rev :one',
        ConditionExpression: 'attribute_exists(pk) AND last_sk < :sk AND (attribute_not_exists(last_read_sk) OR last_read_sk < :sk)',
        ExpressionAttributeValues: {
          ':sk': message.sortKey,
          ':text': message.message,
          ':sender': message.userUuid,
          ':name': message.displayName,
          ':handle': message.handle,
          ':zero': 0,
          ':one': 1
        },
        ReturnValues: 'UPDATED_NEW'
      })
    )
    return typeof Attributes?.rev === 'number' ? Attributes.rev : undefined
  } catch (error) {
    if (isConditionFailed(error)) return undefined
    throw error
  }
}
