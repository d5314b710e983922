import { invalidate } from '../../cache/invalidate.js'
import type { RowWatermark } from '../../cache/watermark.js'
import type { StoreContext } from '../../createStoreContext.js'
import { updateInbox } from '../../inbox/updateInbox.js'
import { compare } from '../../keys/compare.js'
import { messagePk, parseMessageGroupPk } from '../../keys/keys.js'
import { readConversation } from '../../table/readMembers.js'
import { conversationMessages } from '../maintenance/conversationMessages.js'
import { removeOrphanRow } from './removeOrphanRow.js'
import { restoreCreationRows } from './restoreCreationRows.js'
import { restoreRow } from './restoreRow.js'

/** What {@link repairConversation} did (or, in a dry run, would do) to one conversation's rows. */
export interface ConversationRepair {
  messageGroupUuid: string
  /**
   * `repaired`: every member's row checked (and written where it was wrong). `not-found`: the table holds nothing of
   * it. `not-adopted`: messages but no membership items (a table not migrated yet: run adopt). `no-messages`: members
   * but no message to bring their rows to; only rows of non-members were looked at.
   */
  outcome: 'repaired' | 'not-found' | 'not-adopted' | 'no-messages'
  /** Rows moved to a newer message, corrected in place (count, marker or preview), made again, and deleted. */
  rows: { moved: number; corrected: number; recreated: number; removed: number }
  /** Owners of the rows written or deleted: their conversation lists changed. */
  changedUsers: string[]
}

/**
 * Brings one conversation's rows in line with its messages and members: each member's row goes to the conversation's
 * newest message (read strongly consistently) with its unread count recounted, through Pattern D's own planner and
 * conditional updates (never backwards, safe beside the stream handler); a member without a row gets one, only while
 * their membership item is there; a row of someone who is not a member (`candidates` names whose rows to look at)
 * is deleted, only while they are still not one. A group's rows are a group's (no other member described); a group
 * with no message yet gets its missing rows back at its creation. With a cache, the owners' lists are marked stale before it returns
 * or throws.
 */
export async function repairConversation(
  store: StoreContext,
  messageGroupUuid: string,
  candidates: readonly string[],
  options: { dryRun: boolean }
): Promise<ConversationRepair> {
  const rows = { moved: 0, corrected: 0, recreated: 0, removed: 0 }
  const changed = new Set<string>()
  const marks: Array<{ userUuid: string } & RowWatermark> = []
  // Whose rows a write may have touched, should one fail with its outcome unknown (a lost answer).
  const inDoubt = new Set(candidates)
  const done = (outcome: ConversationRepair['outcome']): ConversationRepair => ({
    messageGroupUuid,
    outcome,
    rows,
    changedUsers: [...changed].sort(compare)
  })
  try {
    const newest = await conversationMessages(store, messageGroupUuid, { newestFirst: true, pageSize: 1 }).next()
    // Pattern D reads the members itself; the conversation's own items are read here only when it finds none.
    const result = newest.done
      ? undefined
      : await updateInbox(store, { messageGroupUuid, sortKey: newest.value.sortKey }, [newest.value.sortKey], {
          recount: true,
          dryRun: options.dryRun,
          onWrite: (update, before) => {
            if (update.set.last_sk !== before.last_sk) rows.moved++
            else rows.corrected++
            changed.add(parseMessageGroupPk(update.pk)!)
          }
        })
    const head = result && !result.unknown ? undefined : await readConversation(store, messageGroupUuid)
    const members = head ? head.members.map((member) => member.uuid) : [...result!.owners.map((owner) => owner.userUuid), ...result!.missing]
    for (const member of members) inDoubt.add(member)
    for (const owner of candidates.filter((candidate) => !members.includes(candidate))) {
      if (await removeOrphanRow(store, messageGroupUuid, owner, options.dryRun)) {
        rows.removed++
        changed.add(owner)
      }
    }
    if (members.length === 0) {
      if (!newest.done && head?.conversation === undefined) return done('not-adopted')
      return done(newest.done && head?.conversation === undefined && rows.removed === 0 ? 'not-found' : 'repaired')
    }
    if (!result) {
      // A group before its first message: its members' rows sit at its creation.
      if (head?.conversation?.kind !== 'group') return done('no-messages')
      for (const row of await restoreCreationRows(store, messageGroupUuid, head.conversation, head.members, options.dryRun)) {
        rows.recreated++
        changed.add(row.owner)
        marks.push({ userUuid: row.owner, sk: messagePk(messageGroupUuid), rev: 1, lastSk: row.lastSk })
      }
      return done('repaired')
    }

    const sk = messagePk(messageGroupUuid)
    for (const owner of result.owners) if (changed.has(owner.userUuid)) marks.push({ ...owner, sk })
    // A member without a row: described as the other member, whose name only the membership items hold.
    const named = result.missing.length > 0 ? await readConversation(store, messageGroupUuid) : undefined
    const group = named?.conversation?.kind === 'group'
    for (const owner of result.missing) {
      // A group's row describes no other member.
      const other = group ? undefined : named?.members.find((member) => member.uuid !== owner)
      if (!group && !other) continue // a conversation of one: nobody for the row to describe
      const row = await restoreRow(store, messageGroupUuid, owner, other, newest.value!.sortKey, options.dryRun)
      if (!row) continue
      rows.recreated++
      changed.add(owner)
      marks.push({ userUuid: owner, sk, rev: row.rev, lastSk: row.last_sk })
    }
    return done('repaired')
  } catch (error) {
    for (const user of inDoubt) changed.add(user)
    throw error
  } finally {
    if (!options.dryRun && changed.size > 0) {
      const marked = new Set(marks.map((mark) => mark.userUuid))
      await invalidate(store, { users: [...changed].filter((user) => !marked.has(user)), rows: marks })
    }
  }
}
