import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'
import { isConditionFailed } from '../transactions/isConditionFailed.js'
import type { RowUpdate } from './planInboxUpdate.js'

/**
 * Writes one planned row update: a conditional UpdateItem that must find the row at the revision it was read at, so a
 * row changed meanwhile (another writer, a stale read) or removed (its member left) is never overwritten nor given
 * back. Returns the new revision, or `undefined` when the condition failed (read the row again and decide again).
 */
export async function writeRowUpdate(store: StoreContext, update: RowUpdate): Promise<number | undefined> {
  const { set } = update
  const remove = [set.last_read_sk === undefined && 'last_read_sk', set.unread_owner_uuid === undefined && 'unread_owner_uuid'].filter(Boolean)
  const names = Object.keys(set)
  try {
    await store.documentClient.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: { pk: update.pk, sk: update.sk },
        UpdateExpression:
          `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}, #rev = :next` + (remove.length ? ` REMOVE ${remove.map((name) => `#${name}`).join(', ')}` : ''),
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: Object.fromEntries([...names, ...(remove as string[]), 'rev'].map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: { ...Object.fromEntries(names.map((name) => [`:${name}`, set[name as keyof typeof set]])), ':rev': update.rev, ':next': update.rev + 1 }
      })
    )
    return update.rev + 1
  } catch (error) {
    if (isConditionFailed(error)) return undefined
    throw error
  }
}
