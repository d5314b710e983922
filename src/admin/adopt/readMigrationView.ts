import type { StoreContext } from '../../createStoreContext.js'
import { CONVERSATION_SK, MESSAGE_GROUP_PREFIX, MESSAGE_SK_FLOOR, messagePk, parseMemberSk } from '../../keys/keys.js'
import { batchGetItems } from '../../table/batchGetItems.js'
import { queryAll } from '../../table/queryAll.js'
import { memberOf } from '../../table/readMembers.js'
import type { Participant } from '../../types.js'
import { LEGACY_MEMBERS_SK, type LegacyRow } from '../maintenance/legacyLayout.js'

/** What one conversation holds besides its messages, as its migration reads it. */
export interface MigrationView {
  /** Its `#CONVERSATION` item (a conversation's, or a pair link). */
  conversation?: Record<string, unknown>
  /** Its membership items. */
  members: Participant[]
  /** Its 0.2 `#MEMBERS` item (members, or a pair link). */
  legacyMembers?: Record<string, unknown>
  /** Its rows of the old layouts that are still there, among those at `legacyKeys`. */
  legacyRows: LegacyRow[]
}

/**
 * One conversation's `#` items (one Query of what sorts before its messages) and its old rows at the keys a scan found
 * (one BatchGetItem): what {@link planMigration} decides from, besides the messages. Eventually consistent unless
 * `consistent` (half the read units): every write of the migration is conditioned on what was read, so a stale read
 * only costs a cancelled transaction, and the attempt after it reads consistently.
 */
export async function readMigrationView(
  store: StoreContext,
  messageGroupUuid: string,
  legacyKeys: ReadonlyArray<{ pk: string; sk: string }>,
  consistent: boolean
): Promise<MigrationView> {
  const [head, rows] = await Promise.all([
    queryAll(store, {
      KeyConditionExpression: 'pk = :pk AND sk < :floor',
      ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':floor': MESSAGE_SK_FLOOR },
      ConsistentRead: consistent
    }),
    batchGetItems<LegacyRow>(store, legacyKeys, consistent)
  ])
  const members: Participant[] = []
  const view: MigrationView = { members, legacyRows: [] }
  for (const item of head) {
    const member = typeof item.sk === 'string' ? parseMemberSk(item.sk) : undefined
    if (member !== undefined) members.push(memberOf(member, item))
    else if (item.sk === CONVERSATION_SK) view.conversation = item
    else if (item.sk === LEGACY_MEMBERS_SK) view.legacyMembers = item
  }
  // A row moved or deleted since the scan is not there, or is not this conversation's any more.
  view.legacyRows = rows.filter(
    (row) => row.message_group_uuid === messageGroupUuid && typeof row.pk === 'string' && row.pk.startsWith(MESSAGE_GROUP_PREFIX)
  )
  return view
}
