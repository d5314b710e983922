import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import type { MessagingContext } from '../context.js'
import { MEMBERS_SK, timeOfSortKey } from '../keys/keys.js'
import { queryGroupRows } from '../patterns/queryGroupRows.js'
import { membersOf } from '../patterns/readMembers.js'
import { syncGroupRows, type SyncOptions, type SyncResult } from '../patterns/syncGroupRows.js'
import { readMembersSlot } from '../table/pairLink.js'
import type { LatestMessage, Participant } from '../types.js'
import { conversationMessages } from './conversationMessages.js'
import { resolveParticipants } from './resolveParticipants.js'
import { isConditionFailed } from '../transactions/isConditionFailed.js'

/** What {@link repairConversation} found and did (or, in a dry run, would do) for one conversation. */
export interface ConversationRepair {
  messageGroupUuid: string
  /**
   * `repaired`: the rows were brought to the newest message with both participants known. `unresolved`: the table
   * does not name both participants (`reason`); the rows in view were still moved, as the stream would.
   * `no-messages`: nothing to drive the rows to; nothing was written.
   */
  outcome: 'repaired' | 'unresolved' | 'no-messages'
  reason?: string
  /** The participants (members item, or named from rows and messages). */
  participants?: Participant[]
  /** The newest message's sort key: the source of truth the rows were brought to. */
  newestSortKey?: string
  /** A members item was written (or would be, in a dry run). */
  membersWritten: boolean
  /** Pattern D's result for the rows. */
  sync?: SyncResult
  /** Owners of the rows that were (or would be) written: their conversation lists changed. */
  changedUsers: string[]
}

export interface RepairConversationOptions {
  dryRun: boolean
  /** Write a members item when the conversation has none (adopt), from the participants its rows and messages name. */
  writeMembers: boolean
  /** Messages read per page while naming participants. */
  pageSize: number
  sync?: SyncOptions
}

/**
 * Brings one conversation's rows in line with its newest message, through Pattern D's own machinery
 * ({@link syncGroupRows}: one conditional transaction, never backwards, never lost, never doubled, safe beside the
 * stream handler). The newest message comes from a strongly consistent Query of the conversation, newest first. The
 * participants come from the members item or, for a conversation the bootcamp code wrote, from its rows and messages,
 * so a row the stream could only report as lost is rebuilt. With `writeMembers` a missing members item is written
 * first (conditional put; one already there wins), which is what `adopt` adds to `repair`.
 */
export async function repairConversation(
  ctx: MessagingContext,
  messageGroupUuid: string,
  options: RepairConversationOptions
): Promise<ConversationRepair> {
  const newestFirst = conversationMessages(ctx, messageGroupUuid, { newestFirst: true, pageSize: options.pageSize })
  const first = await newestFirst.next()
  if (first.done) return { messageGroupUuid, outcome: 'no-messages', membersWritten: false, changedUsers: [] }
  const latest = first.value

  let participants = membersOf(await readMembersSlot(ctx, messageGroupUuid))
  let membersWritten = false
  let reason: string | undefined
  if (!participants) {
    const named = await nameParticipants(ctx, messageGroupUuid, latest, newestFirst)
    if (named.kind === 'named') {
      participants = named.participants
      if (options.writeMembers) {
        const written = options.dryRun || (await putMembers(ctx, messageGroupUuid, participants, options.pageSize))
        if (written === true) membersWritten = true
        else participants = written // another writer was first: its members item is the truth
      }
    } else {
      reason = named.reason
    }
  }
  await newestFirst.return(undefined)

  const sync = await syncGroupRows(ctx, latest, options.sync ?? REPAIR_SYNC, { ...(participants && { participants }), dryRun: options.dryRun })
  const wrote = sync.moved + sync.removed + sync.recreated + sync.corrected > 0
  const owners = participants ? participants.map((p) => p.uuid) : await rowOwners(ctx, messageGroupUuid)
  return {
    messageGroupUuid,
    outcome: participants ? 'repaired' : 'unresolved',
    ...(reason !== undefined && { reason }),
    ...(participants && { participants }),
    newestSortKey: latest.sortKey,
    membersWritten,
    sync,
    changedUsers: wrote ? owners : []
  }
}

/**
 * One index read and one retry, then the table itself for whoever the index does not show. Pattern D waits longer for
 * a lagging index because the consistent read of an owner's whole list is its last resort; rows a repair misses were
 * usually lost long ago, so waiting would only add index reads. Correct either way: the consistent read is the truth.
 */
const REPAIR_SYNC: SyncOptions = { maxAttempts: 2, baseDelayMs: 50 }

/** The participants named by the rows and as many messages (newest first) as it takes. */
async function nameParticipants(
  ctx: MessagingContext,
  messageGroupUuid: string,
  latest: LatestMessage,
  newestFirst: AsyncGenerator<LatestMessage>
): Promise<{ kind: 'named'; participants: Participant[] } | { kind: 'unresolved'; reason: string }> {
  const rows = await queryGroupRows(ctx, messageGroupUuid)
  const read: LatestMessage[] = [latest]
  for (;;) {
    const verdict = resolveParticipants(rows, read, false)
    if (verdict.kind !== 'more') return verdict
    const next = await newestFirst.next()
    if (next.done) {
      const final = resolveParticipants(rows, read, true)
      return final.kind === 'more' ? { kind: 'unresolved', reason: 'the messages do not name both participants' } : final
    }
    read.push(next.value)
  }
}

/**
 * The members item for a conversation that had none, conditional on the slot being empty. `true` when written; the
 * members already there when another writer was first (a previous run, or a concurrent one).
 */
async function putMembers(
  ctx: MessagingContext,
  messageGroupUuid: string,
  participants: readonly Participant[],
  pageSize: number
): Promise<true | Participant[]> {
  // Created when its oldest message was sent, as createMessageGroup dates a new conversation by its first message.
  // Only a date: an eventually consistent read (half the cost) is enough.
  const oldest = await conversationMessages(ctx, messageGroupUuid, { newestFirst: false, pageSize, consistent: false }).next()
  const createdAt = oldest.done ? '' : (timeOfSortKey(oldest.value.sortKey) ?? oldest.value.sortKey)
  try {
    await ctx.toolbox.MessageGroupMembersEntity.build(PutItemCommand)
      .item({
        message_group_uuid: messageGroupUuid,
        sk: MEMBERS_SK,
        members: participants.map((p) => ({ user_uuid: p.uuid, user_display_name: p.displayName, user_handle: p.handle })),
        created_at: createdAt
      })
      .options({ condition: { attr: 'message_group_uuid', exists: false } })
      .send()
    return true
  } catch (error) {
    if (!isConditionFailed(error)) throw error
    const members = membersOf(await readMembersSlot(ctx, messageGroupUuid))
    if (members) return members
    // The slot holds something that is not a members item (written by other code, or by hand).
    throw new Error(`its #MEMBERS item has no members list: fix or delete it (pk MSG#${messageGroupUuid}), then run again`, {
      cause: error
    })
  }
}

/** Owners of the conversation's rows in view, for a conversation whose participants could not be named. */
async function rowOwners(ctx: MessagingContext, messageGroupUuid: string): Promise<string[]> {
  const rows = await queryGroupRows(ctx, messageGroupUuid)
  return [...new Set(rows.map((row) => row.pk.slice(row.pk.indexOf('#') + 1)))].sort()
}
