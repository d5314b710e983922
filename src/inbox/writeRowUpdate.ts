import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'
import { isConditionFailed } from '../transactions/isConditionFailed.js'
import { OPTIONAL_ROW_ATTRIBUTES, type RowUpdate } from './planInboxUpdate.js'

/**
 * Writes one planned row update: a conditional UpdateItem that must find the row at the revision it was read at, so a
 * row changed meanwhile (another writer, a stale read) or removed (its member left) is never overwritten nor given
 * back. Returns the new revision, or `undefined` when the condition failed (read the row again and decide again).
 */
export async function writeRowUpdate(store: StoreContext, update: RowUpdate): Promise<number | undefined> {
  const set = Object.entries(update.set).filter(([, value]) => value !== undefined)
  const remove = OPTIONAL_ROW_ATTRIBUTES.filter((name) => update.set[name] === undefined)
  try {
    await store.documentClient.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: { pk: update.pk, sk: update.sk },
        UpdateExpression:
          `SET ${set.map(([name]) => `#${name} = :${name}`).join(', ')}, #rev = :next` +
          (remove.length > 0 ? ` REMOVE ${remove.map((name) => `#${name}`).join(', ')}` : ''),
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: Object.fromEntries([...set.map(([name]) => name), ...remove, 'rev'].map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: { ...Object.fromEntries(set.map(([name, value]) => [`:${name}`, value])), ':rev': update.rev, ':next': update.rev + 1 }
      })
    )
    return update.rev + 1
  } catch (error) {
    if (isConditionFailed(error)) return undefined
    throw error
  }
}
