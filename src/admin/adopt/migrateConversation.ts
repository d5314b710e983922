import { invalidate } from '../../cache/invalidate.js'
import type { RowWatermark } from '../../cache/watermark.js'
import type { StoreContext } from '../../createStoreContext.js'
import { ConcurrentUpdateError } from '../../errors/ConcurrentUpdateError.js'
import { readRows } from '../../inbox/readRows.js'
import { updateInbox } from '../../inbox/updateInbox.js'
import { compare } from '../../keys/compare.js'
import { isMessageSortKey, messagePk, parseMessageGroupPk, timeOfSortKey } from '../../keys/keys.js'
import { batchGetItems } from '../../table/batchGetItems.js'
import { linkedGroupOf } from '../../table/pairLink.js'
import { readCancellation } from '../../transactions/readCancellation.js'
import type { LatestMessage, Participant } from '../../types.js'
import { buildRows } from '../maintenance/buildRows.js'
import { conversationMessages } from '../maintenance/conversationMessages.js'
import type { ConversationInventory } from '../maintenance/scanTable.js'
import { legacyMarker } from './legacyMarker.js'
import { legacyMembersOf } from './legacyMembersOf.js'
import { planMigration, type MigrationPlan } from './planMigration.js'
import { readMigrationView, type MigrationView } from './readMigrationView.js'
import { resolveParticipants, type ParticipantsVerdict } from './resolveParticipants.js'
import { transactInChunks } from './transactInChunks.js'

/** What {@link migrateConversation} did (or, in a dry run, would do) for one conversation. */
export interface ConversationMigration {
  messageGroupUuid: string
  /**
   * `migrated`: written in the new layout (or, already migrated, its old-layout leftovers removed). `current`: nothing
   * to do. `unresolved`: the table does not say who its two members are (`reason`); nothing was written.
   * `no-messages`: old rows but no message to rebuild them from; nothing was written.
   */
  outcome: 'migrated' | 'current' | 'unresolved' | 'no-messages'
  reason?: string
  /** Its members, once known, and its newest message: what pair links are planned from. */
  participants?: Participant[]
  newestSk?: string
  written: MigrationPlan['written']
  deleted: MigrationPlan['deleted']
  /** Rows already in the new layout that Pattern D brought to a newer message afterwards. */
  updated: number
  /** Old-layout items found although an earlier run had migrated it: written after that run. */
  late: number
  /** Users whose conversation lists this changed (or would). */
  changedUsers: string[]
}

/** Decisions per conversation when a writer changes it between the reads and the transaction. */
const ATTEMPTS = 4
/** Messages read at a time, newest first, while naming the participants (the rows name them in most conversations). */
const NAMING_PAGE = 10

/**
 * Takes one conversation to the new layout (see {@link planMigration}): reads what it holds,
 * names its two members (membership items, else 0.2's `#MEMBERS`, else its rows and messages), builds each missing
 * row from the newest stored message with Pattern D's planner, and writes everything in one transaction conditioned so
 * that nothing is overwritten. A transaction cancelled because something changed is decided again from new reads.
 * Afterwards a message that arrived meanwhile (its stream record may have found no members yet), or rows an earlier
 * run made, are brought in line by Pattern D. With a cache, everything it may have changed is marked stale before it
 * returns or throws.
 *
 * @throws {@link ConcurrentUpdateError} when the conversation kept changing through every attempt (run adopt again).
 */
export async function migrateConversation(
  store: StoreContext,
  messageGroupUuid: string,
  entry: Pick<ConversationInventory, 'legacyRows' | 'rowOwners'>,
  options: { dryRun: boolean }
): Promise<ConversationMigration> {
  const invalidation: { users: string[]; rows: Array<{ userUuid: string } & RowWatermark> } = { users: [], rows: [] }
  let attempted = false
  try {
    for (let attempt = 1; ; attempt++) {
      const view = await readMigrationView(store, messageGroupUuid, entry.legacyRows, attempt > 1)
      const decided = await decide(store, messageGroupUuid, view, entry)
      if (!('plan' in decided)) return decided
      const { plan, newest, existing, result } = decided
      invalidation.users = result.changedUsers
      if (options.dryRun) {
        const updated = existing > 0 ? (await updateInbox(store, { messageGroupUuid, sortKey: newest }, [newest], { dryRun: true })).updated : 0
        return { ...result, updated }
      }
      attempted = true
      try {
        await transactInChunks(store, plan.items)
      } catch (error) {
        const cancellation = readCancellation(error)
        // Cancelled: nothing of that transaction was written. Read again and decide again.
        if (!cancellation || !(cancellation.conflict || cancellation.conditionFailed.length > 0)) throw error
        if (attempt >= ATTEMPTS) throw new ConcurrentUpdateError(messageGroupUuid, plan.items.length, { cause: error })
        continue
      }
      const sk = messagePk(messageGroupUuid)
      invalidation.rows = plan.newRowOwners.map((userUuid) => ({ userUuid, sk, rev: 1, lastSk: newest }))
      // A message sent meanwhile may have been skipped by the stream for want of members: the rows go to the newest.
      const now = await newestMessage(store, messageGroupUuid)
      if (existing === 0 && now?.sortKey === newest) return result
      const through = now?.sortKey ?? newest
      const update = await updateInbox(store, { messageGroupUuid, sortKey: through }, [through])
      invalidation.rows = update.owners.map(({ userUuid, rev, lastSk }) => ({ userUuid, sk, rev, lastSk }))
      return { ...result, updated: update.updated }
    }
  } finally {
    if (attempted) {
      const withRow = new Set(invalidation.rows.map((row) => row.userUuid))
      await invalidate(store, {
        conversations: [messageGroupUuid],
        memberships: [messageGroupUuid],
        users: invalidation.users.filter((user) => !withRow.has(user)),
        rows: invalidation.rows
      })
    }
  }
}

/** The plan for one attempt, from what was read: or the outcome, when there is nothing to write. */
async function decide(
  store: StoreContext,
  messageGroupUuid: string,
  view: MigrationView,
  entry: Pick<ConversationInventory, 'rowOwners'>
): Promise<ConversationMigration | { plan: MigrationPlan & { newRowOwners: string[] }; newest: string; existing: number; result: ConversationMigration }> {
  const legacyMembers = legacyMembersOf(view.legacyMembers)
  const link = linkedGroupOf(view.conversation)
  // A group is this layout's only (a group of old layouts does not exist): never migrated, whatever it holds.
  if (view.conversation?.kind === 'group') return outcome(messageGroupUuid, 'current')
  const migrated = view.conversation !== undefined && link === undefined && view.members.length > 0
  const late = migrated ? view.legacyRows.length + (legacyMembers ? 1 : 0) : 0
  if (migrated && late === 0) return outcome(messageGroupUuid, 'current')
  if (link !== undefined) {
    const reason = `its #CONVERSATION item is a pair link to ${link}, yet it holds other items: fix or delete them, then run again`
    return outcome(messageGroupUuid, 'unresolved', reason)
  }

  const messages = conversationMessages(store, messageGroupUuid, { newestFirst: true, pageSize: NAMING_PAGE })
  let named: ParticipantsVerdict | { kind: 'named'; participants: Participant[] }
  let newest: LatestMessage
  try {
    const first = await messages.next()
    if (first.done) return outcome(messageGroupUuid, 'no-messages')
    newest = first.value
    named = await nameParticipants(view, legacyMembers, newest, messages)
  } finally {
    await messages.return(undefined)
  }
  if (named.kind !== 'named') return outcome(messageGroupUuid, 'unresolved', named.kind === 'unresolved' ? named.reason : 'unnamed')
  const { participants } = named
  if (participants.length !== 2) {
    return outcome(messageGroupUuid, 'unresolved', `its membership items name ${participants.length} people; a direct conversation is two`)
  }

  // Rows already in the new layout (an earlier run, or the library since) are kept; Pattern D brings them in line.
  const uuids = participants.map((participant) => participant.uuid)
  const existing = migrated || entry.rowOwners.length > 0 ? await readRows(store, messageGroupUuid, uuids, true) : []
  const withRow = new Set(existing.map((row) => parseMessageGroupPk(row.pk)))
  const stored = await storedMessageKeys(store, messageGroupUuid, view.legacyRows.map((row) => row.sk))
  const toBuild = participants
    .filter((participant) => !withRow.has(participant.uuid))
    .map((member) => {
      const theirs = view.legacyRows.filter((row) => parseMessageGroupPk(row.pk) === member.uuid)
      const marker = legacyMarker(theirs, (sk) => stored.has(sk), newest.sortKey)
      const other = participants.find((participant) => participant.uuid !== member.uuid)!
      return { ownerUuid: member.uuid, other, ...(marker !== undefined && { marker }) }
    })
  const newRows = await buildRows(store, messageGroupUuid, toBuild, newest.sortKey)
  const plan = planMigration({
    tableName: store.tableName,
    messageGroupUuid,
    hasConversation: view.conversation !== undefined,
    createdAt: await createdAt(store, messageGroupUuid, newest.sortKey),
    participants,
    withMembership: view.members.map((member) => member.uuid),
    newRows,
    legacyRows: view.legacyRows,
    legacyMembers: legacyMembers !== undefined
  })
  const owners = view.legacyRows.flatMap((row) => parseMessageGroupPk(row.pk) ?? [])
  const result: ConversationMigration = {
    messageGroupUuid,
    outcome: 'migrated',
    participants,
    newestSk: newest.sortKey,
    written: plan.written,
    deleted: plan.deleted,
    updated: 0,
    late,
    changedUsers: [...new Set([...uuids, ...owners])].sort(compare)
  }
  const newRowOwners = newRows.map((row) => parseMessageGroupPk(row.pk)!)
  return { plan: { ...plan, newRowOwners }, newest: newest.sortKey, existing: existing.length, result }
}

/**
 * The two members: their membership items (an earlier run, or written by hand for a conversation nothing else names),
 * else 0.2's `#MEMBERS` list, else named from the old rows and as many messages, newest first, as it takes.
 */
async function nameParticipants(
  view: MigrationView,
  legacyMembers: Participant[] | undefined,
  newest: LatestMessage,
  older: AsyncGenerator<LatestMessage>
): Promise<ParticipantsVerdict | { kind: 'named'; participants: Participant[] }> {
  if (view.members.length > 0) return { kind: 'named', participants: view.members }
  if (legacyMembers) return { kind: 'named', participants: legacyMembers }
  const read: LatestMessage[] = [newest]
  for (;;) {
    const verdict = resolveParticipants(view.legacyRows, read, false)
    if (verdict.kind !== 'more') return verdict
    const next = await older.next()
    if (next.done) return resolveParticipants(view.legacyRows, read, true)
    read.push(next.value)
  }
}

/** Which of `keys` are stored messages of the conversation (one BatchGetItem; a message, once stored, stays). */
async function storedMessageKeys(store: StoreContext, messageGroupUuid: string, keys: readonly string[]): Promise<Set<string>> {
  const pk = messagePk(messageGroupUuid)
  const candidates = [...new Set(keys.filter(isMessageSortKey))].map((sk) => ({ pk, sk }))
  const found = await batchGetItems<{ sk: string; message?: unknown }>(store, candidates)
  return new Set(found.filter((item) => typeof item.message === 'string').map((item) => item.sk))
}

/** When the conversation started: its oldest message's time (an eventually consistent read: only a date). */
async function createdAt(store: StoreContext, messageGroupUuid: string, fallbackSk: string): Promise<string> {
  const oldest = await conversationMessages(store, messageGroupUuid, { newestFirst: false, pageSize: 1, consistent: false }).next()
  const sk = oldest.done ? fallbackSk : oldest.value.sortKey
  return timeOfSortKey(sk) ?? sk
}

/** The conversation's newest message now (strongly consistent). */
async function newestMessage(store: StoreContext, messageGroupUuid: string): Promise<LatestMessage | undefined> {
  const newest = await conversationMessages(store, messageGroupUuid, { newestFirst: true, pageSize: 1 }).next()
  return newest.done ? undefined : newest.value
}

function outcome(messageGroupUuid: string, kind: ConversationMigration['outcome'], reason?: string): ConversationMigration {
  return {
    messageGroupUuid,
    outcome: kind,
    ...(reason !== undefined && { reason }),
    written: { conversations: 0, memberships: 0, rows: 0 },
    deleted: { rows: 0, membersItems: 0 },
    updated: 0,
    late: 0,
    changedUsers: []
  }
}
