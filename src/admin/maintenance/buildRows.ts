import type { StoreContext } from '../../createStoreContext.js'
import { decideInboxUpdate } from '../../inbox/decideInboxUpdate.js'
import { MESSAGE_SK_FLOOR, parseMessageGroupPk, rowKey } from '../../keys/keys.js'
import type { StoredMessageGroupRow } from '../../table/rows.js'
import type { Participant } from '../../types.js'

/**
 * A member to make a row for: who owns it, whom it describes (a direct conversation's other member; absent for a
 * group's row, which shows the group's title instead), and how far they had read (absent: never).
 */
export interface RowToBuild {
  ownerUuid: string
  other?: Participant
  marker?: string
}

/**
 * Members' rows made new, as Pattern D's own planner decides them: rows "before every message", each with its read
 * marker and a count nobody trusts, are planned to the conversation's newest message, so preview and `last_sk` come
 * from that stored message (read now, strongly consistently) and each count is recounted from its marker (capped;
 * sending marks read, so it starts after the member's own newest message). One decision for all of them, so the
 * messages are read once. Each row describes its `other`, or is a group's; its revision is 1. Nothing is written.
 */
export async function buildRows(
  store: StoreContext,
  messageGroupUuid: string,
  members: readonly RowToBuild[],
  newestSk: string
): Promise<StoredMessageGroupRow[]> {
  if (members.length === 0) return []
  const before = members.map(
    ({ ownerUuid, other, marker }): StoredMessageGroupRow => ({
      ...rowKey(ownerUuid, messageGroupUuid),
      last_sk: MESSAGE_SK_FLOOR,
      message: '',
      ...(other ? { user_uuid: other.uuid, user_display_name: other.displayName, user_handle: other.handle } : { kind: 'group' as const }),
      ...(marker !== undefined && { last_read_sk: marker }),
      unread_count: 0,
      rev: 0
    })
  )
  const plan = await decideInboxUpdate(store, messageGroupUuid, { rows: before, latestSk: newestSk, applied: [newestSk], recount: true })
  return before.map((row) => {
    const update = plan.updates.find((candidate) => candidate.pk === row.pk)
    // A row at the floor moves to the newest message there is; none left it where it was.
    if (!update || update.set.last_sk === MESSAGE_SK_FLOOR) {
      throw new Error(`conversation ${messageGroupUuid} has no message at ${newestSk} to build the row of ${parseMessageGroupPk(row.pk)} from`)
    }
    const { last_read_sk: _marker, ...rest } = row
    return { ...rest, ...update.set, rev: 1 }
  })
}
