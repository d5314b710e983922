import { MESSAGE_GROUP_PREFIX, parseMessageGroupPk } from '../keys/keys.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import type { LatestMessage, LostGroupRow, Participant } from '../types.js'
import { planGroupUpdate, type GroupCounting, type GroupUpdatePlan } from './planGroupUpdate.js'

/** What Pattern D has read about one conversation when it decides. */
export interface GroupView {
  /** The conversation's rows: from the index, plus any a consistent read of the table confirmed. */
  rows: readonly StoredMessageGroupRow[]
  /** The members item's members, when it was read and exists. */
  members?: readonly Participant[]
  /** Owners a consistent read of the table found without a row of this conversation. */
  absent?: readonly string[]
}

/** {@link planGroupSync}'s answer: the writes, or the owners to look for first. */
export type GroupSyncDecision =
  | {
      complete: false
      /** Owners expected to have a row that the view neither shows nor knows to be absent. */
      unseen: string[]
    }
  | {
      complete: true
      /** The moves of {@link planGroupUpdate}, plus a put for each lost row that can be rebuilt. */
      plan: GroupUpdatePlan
      /** How many of `plan.puts` rebuild a lost row (the others move an existing one). */
      recreated: number
      /** Lost rows that cannot be rebuilt: nothing read names the participant they would describe. */
      lost: LostGroupRow[]
      /** The participants whose rows show `latest` or a newer message once the plan is written: all but `lost`, sorted. */
      owners: string[]
    }

/**
 * Pattern D's whole decision, pure: who must have a row, whether the view shows all of them, and the writes.
 *
 * - Expected participants: the members item's, when it exists; otherwise (conversations the bootcamp code created)
 *   everyone the view names, each row's owner and the participant it describes, plus the message's sender while the
 *   rows name fewer than two people.
 * - Incomplete while an expected owner is neither shown nor confirmed absent, or fewer than two people are known:
 *   moving only the rows in view would leave the others behind for good.
 * - A row confirmed absent is rebuilt at the new message when the participant it describes is known by name and
 *   handle (members item, the sender's fields, or a row describing them); otherwise it is reported as lost. A rebuilt
 *   row has no unread count (what its owner had read is gone with it): it reads as 0 and is counted from its next move.
 * - With `counting`, the unread counts and read markers of the rows in view (see {@link planGroupUpdate}).
 */
export function planGroupSync(view: GroupView, latest: LatestMessage, counting?: GroupCounting): GroupSyncDecision {
  const rows = view.rows.filter((row) => row.message_group_uuid === latest.messageGroupUuid)
  const people = expectedParticipants(rows, view.members, latest)
  const shown = new Set(rows.map((row) => parseMessageGroupPk(row.pk)))
  const absent = new Set(view.absent)
  const unseen = [...people.keys()].filter((uuid) => !shown.has(uuid) && !absent.has(uuid))
  if (unseen.length > 0 || people.size < 2) return { complete: false, unseen }

  const plan = planGroupUpdate(rows, latest, counting)
  const lost: LostGroupRow[] = []
  let recreated = 0
  for (const ownerUuid of people.keys()) {
    if (!absent.has(ownerUuid)) continue
    const others = [...people.keys()].filter((uuid) => uuid !== ownerUuid)
    const other = others.length === 1 ? people.get(others[0]!) : undefined
    if (other?.displayName && other.handle) {
      plan.puts.push({
        pk: `${MESSAGE_GROUP_PREFIX}${ownerUuid}`,
        sk: latest.sortKey,
        message_group_uuid: latest.messageGroupUuid,
        message: latest.message,
        user_uuid: others[0]!,
        user_display_name: other.displayName,
        user_handle: other.handle
      })
      recreated++
    } else {
      lost.push({ messageGroupUuid: latest.messageGroupUuid, ownerUuid, ...(others.length === 1 && { otherUserUuid: others[0] }) })
    }
  }
  const owners = [...people.keys()].filter((uuid) => !lost.some((row) => row.ownerUuid === uuid)).sort()
  return { complete: true, plan, recreated, lost, owners }
}

/** Everyone who must have a row, by uuid, with the name and handle to describe them where something read says it. */
function expectedParticipants(
  rows: readonly StoredMessageGroupRow[],
  members: readonly Participant[] | undefined,
  latest: LatestMessage
): Map<string, { displayName?: string; handle?: string }> {
  const people = new Map<string, { displayName?: string; handle?: string }>()
  if (members) {
    for (const member of members) people.set(member.uuid, { displayName: member.displayName, handle: member.handle })
  } else {
    for (const row of rows) {
      const owner = parseMessageGroupPk(row.pk)
      if (owner && !people.has(owner)) people.set(owner, {})
      if (typeof row.user_uuid === 'string') {
        people.set(row.user_uuid, { displayName: row.user_display_name, handle: row.user_handle })
      }
    }
    // A conversation is a pair: once the rows name two people, a different sender is a stranger's post (the bootcamp
    // code let anyone post anywhere), with no row to keep current.
    if (latest.userUuid !== undefined && people.size < 2 && !people.has(latest.userUuid)) people.set(latest.userUuid, {})
  }
  // The sender's own fields are the freshest description of the sender.
  const sender = latest.userUuid === undefined ? undefined : people.get(latest.userUuid)
  if (sender && latest.displayName && latest.handle) {
    sender.displayName = latest.displayName
    sender.handle = latest.handle
  }
  return people
}
