import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import type { StoredReadState } from './readState.js'
import { readStateUpdate } from './readStateWrites.js'
import { isConditionFailed } from '../transactions/isConditionFailed.js'

/**
 * Writes `state` on `row` with ONE conditional UpdateItem: the row must still exist at that key with the read state it
 * was read with. Returns false when that condition failed (the row moved, or another writer changed it): read again.
 */
export async function updateReadState(store: StoreContext, row: StoredMessageGroupRow, state: StoredReadState): Promise<boolean> {
  try {
    await store.documentClient.send(new UpdateCommand(readStateUpdate(store.tableName, row, row, state)))
    return true
  } catch (error) {
    if (isConditionFailed(error)) return false
    throw error
  }
}
