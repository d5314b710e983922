import type { StoreContext } from '../../createStoreContext.js'
import { decideInboxUpdate } from '../../inbox/decideInboxUpdate.js'
import { MESSAGE_SK_FLOOR, rowKey } from '../../keys/keys.js'
import type { StoredMessageGroupRow } from '../../table/rows.js'
import type { Participant } from '../../types.js'

/**
 * A member's row made new, as Pattern D's own planner decides it: a row "before every message" whose read marker is
 * `marker` (absent: never read) and whose count nobody trusts is planned to the conversation's newest message, so the
 * preview and `last_sk` come from that stored message (read now, strongly consistently) and the count is recounted
 * from the marker (capped; sending marks read, so it starts after the member's own newest message). It describes
 * `other`; its revision is 1. Nothing is written.
 */
export async function buildRow(
  store: StoreContext,
  messageGroupUuid: string,
  ownerUuid: string,
  other: Participant,
  marker: string | undefined,
  newestSk: string
): Promise<StoredMessageGroupRow> {
  const before: StoredMessageGroupRow = {
    ...rowKey(ownerUuid, messageGroupUuid),
    last_sk: MESSAGE_SK_FLOOR,
    message: '',
    user_uuid: other.uuid,
    user_display_name: other.displayName,
    user_handle: other.handle,
    ...(marker !== undefined && { last_read_sk: marker }),
    unread_count: 0,
    rev: 0
  }
  const plan = await decideInboxUpdate(store, messageGroupUuid, { rows: [before], latestSk: newestSk, applied: [newestSk], recount: true })
  const update = plan.updates[0]
  // A row at the floor moves to the newest message there is; none left it where it was.
  if (!update || update.set.last_sk === MESSAGE_SK_FLOOR) throw new Error(`conversation ${messageGroupUuid} has no message at ${newestSk} to build a row from`)
  const { last_read_sk: _marker, ...rest } = before
  return { ...rest, ...update.set, rev: 1 }
}
