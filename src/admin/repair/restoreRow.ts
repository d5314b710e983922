import type { StoreContext } from '../../createStoreContext.js'
import type { StoredMessageGroupRow } from '../../table/rows.js'
import type { Participant } from '../../types.js'
import { buildRows } from '../maintenance/buildRows.js'
import { writeCheckingMembership } from './writeCheckingMembership.js'

/**
 * Makes a member's missing row again (describing `other`, or, without one, a group's row), at the newest message
 * and read up to it (what they had read went with the row), put where no row is and only while their membership item is there, so a member removed meanwhile never gets
 * a row back and a row made meanwhile is never overwritten. Returns the row written (in a dry run, the row it would
 * write), or `undefined` when a condition failed.
 */
export async function restoreRow(
  store: StoreContext,
  messageGroupUuid: string,
  ownerUuid: string,
  other: Participant | undefined,
  newestSk: string,
  dryRun: boolean
): Promise<StoredMessageGroupRow | undefined> {
  const [row] = await buildRows(store, messageGroupUuid, [{ ownerUuid, ...(other && { other }), marker: newestSk }], newestSk)
  if (!row || dryRun) return row
  const put = { Put: { TableName: store.tableName, Item: row, ConditionExpression: 'attribute_not_exists(pk)' } }
  return (await writeCheckingMembership(store, messageGroupUuid, ownerUuid, true, put)) ? row : undefined
}
