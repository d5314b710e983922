import type { StoreContext } from '../../createStoreContext.js'
import { readRows } from '../../inbox/readRows.js'
import { storedReadState } from '../../inbox/readState.js'
import { isMessageSortKey, parseMessageGroupPk, rowKey } from '../../keys/keys.js'
import type { StoredMember } from '../../table/readMembers.js'
import { writeCheckingMembership } from './writeCheckingMembership.js'

/**
 * Makes the missing rows of a group that has no message yet, where `createGroup` leaves them: at the group's creation
 * (`created_sk`), read up to it, nothing unread; each put where no row is and only while the member's membership item
 * is there. Returns the rows written (in a dry run, those it would write); none when the group item has no creation
 * sort key to put them at.
 */
export async function restoreCreationRows(
  store: StoreContext,
  messageGroupUuid: string,
  group: Record<string, unknown>,
  members: readonly StoredMember[],
  dryRun: boolean
): Promise<Array<{ owner: string; lastSk: string }>> {
  const createdSk = group.created_sk
  if (typeof createdSk !== 'string' || !isMessageSortKey(createdSk)) return []
  const present = new Set((await readRows(store, messageGroupUuid, members.map((member) => member.uuid), true)).map((row) => parseMessageGroupPk(row.pk)))
  const restored: Array<{ owner: string; lastSk: string }> = []
  for (const { uuid } of members.filter((member) => !present.has(member.uuid))) {
    const Item = { ...rowKey(uuid, messageGroupUuid), kind: 'group', last_sk: createdSk, ...storedReadState(uuid, { marker: createdSk, count: 0 }), rev: 1 }
    const put = { Put: { TableName: store.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } }
    if (dryRun || (await writeCheckingMembership(store, messageGroupUuid, uuid, true, put))) restored.push({ owner: uuid, lastSk: createdSk })
  }
  return restored
}
