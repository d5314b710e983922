import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import { StaleIndexError } from '../errors/StaleIndexError.js'
import { backOff } from '../retry/backOff.js'
import { readCancellation } from '../transactions/readCancellation.js'
import { moveRowsOrdered } from '../rowMove/moveRowsOrdered.js'
import type { RowMove } from '../rowMove/rowMove.js'
import { MESSAGE_GROUP_PREFIX } from '../keys/keys.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import type { LatestMessage, LostGroupRow, Participant } from '../types.js'
import { queryMessageRange } from '../unread/queryMessageRange.js'
import type { ParticipantReadState } from '../unread/readState.js'
import { readStatesAfter } from '../unread/readStatesAfter.js'
import { invalidate } from '../cache/invalidate.js'
import { readStateUpdate, unchangedReadState } from '../unread/readStateWrites.js'
import { planGroupSync, type GroupSyncDecision, type GroupView } from './planGroupSync.js'
import { messageRangeToRead, planGroupUpdate, type GroupUpdatePlan } from './planGroupUpdate.js'
import { queryGroupRows } from './queryGroupRows.js'
import { queryOwnerRows } from './queryOwnerRows.js'
import { readMembers } from './readMembers.js'

/**
 * How Pattern D retries while the `message-group-sk-index` GSI lags behind the table: options of
 * {@link MessagingClient.updateMessageGroups} and {@link createStreamHandler}.
 *
 * @example
 * ```ts
 * // Up to 6 reads of the index, waiting 100, 200, 400, 800 and 1600 ms between them.
 * const options: SyncOptions = { maxAttempts: 6, baseDelayMs: 100 }
 * export const handler = createStreamHandler({ client, tableName, ...options })
 * ```
 */
export interface SyncOptions {
  /**
   * Reads of the index before giving up with {@link StaleIndexError}: a whole number from 1 to 20. Default 5. On the
   * last, a participant the index still does not show is looked up in the table itself (a strongly consistent read).
   */
  maxAttempts?: number
  /** First back-off between attempts, doubled each time, in milliseconds: 0 to 60 000. Default 50. */
  baseDelayMs?: number
  /**
   * How a row is moved: `'transaction'` (default) or `'ordered'`, the seeds' price (see {@link RowMove} and
   * docs/stream.md, "The ordered move").
   */
  rowMove?: RowMove
  /**
   * Keep each row's unread count and read marker (default `true`). `false` saves the consistent read of the new messages
   * and the `unread-index` writes of the recipient's row (2 WCU per move), for applications that never show unread
   * counts: moved rows then carry none (they read as 0 unread, and `countUnread` finds nothing).
   */
  unreadCounts?: boolean
}

/**
 * What one update of a conversation's rows wrote (Pattern D).
 *
 * @example
 * ```ts
 * const result: SyncResult = await messaging.updateMessageGroups(latest)
 * if (result.moved === 0) console.log('every row already showed this message or a newer one')
 * for (const row of result.lost) console.warn('missing from the list of', row.ownerUuid, row.messageGroupUuid)
 * ```
 */
export interface SyncResult {
  /** Participants' rows moved to the new message. 0 when every row already showed it or a newer one. */
  moved: number
  /** Stale duplicate rows removed. */
  removed: number
  /** Rows missing from the table (lost by the bootcamp's stream function) rebuilt at the new message. */
  recreated: number
  /**
   * Rows left at their message whose unread count or read marker was corrected in place (a repeated or late message
   * recounted, or a count other code got wrong).
   */
  corrected: number
  /** Rows missing from the table that could not be rebuilt; the other rows were moved. Empty as a rule. */
  lost: LostGroupRow[]
  /**
   * Each participant with a row: their unread count and read marker as this update left them (or found them, when
   * nothing had to change), by user uuid.
   */
  participants: ParticipantReadState[]
  /**
   * The participants whose conversation rows now show this message or a newer one (all but `lost`), moved here or
   * already current: the users whose conversation lists a cache must refresh.
   */
  owners: string[]
}

/**
 * What a caller adds to one update beyond `latest`: the stream handler, the messages of its batch; the repair and
 * adopt commands, what they know of the participants.
 */
export interface SyncRequest {
  /**
   * Sort keys of the messages being applied, `latest`'s among them (a stream batch's records of this conversation).
   * Default `[latest.sortKey]`. One at or below a row's position has that row's unread count recounted.
   */
  applied?: readonly string[]
  /**
   * The conversation's participants, by name and handle, when the caller knows them (from its members item, or from
   * its rows and messages for a conversation the bootcamp code wrote): used in place of the members item, so a lost
   * row describing either of them can be rebuilt.
   */
  participants?: readonly Participant[]
  /** Decide, but write nothing: the result counts what would be written. */
  dryRun?: boolean
}

/**
 * Brings every participant's row of `latest`'s conversation to it, in one transaction whose every item is
 * conditional: each delete must find its row with the read state it was read with, each put must find none.
 *
 * Each attempt reads the rows from the index, then (when a count can change) the conversation's messages that the
 * counts need, strongly consistently, and lets {@link planGroupSync} decide (`request.applied`: see
 * {@link SyncRequest}). While the view misses a participant (the index lags), the members item is read once and the
 * index again after a back-off; the last attempt asks the table itself, strongly consistently, for each missing
 * owner's row, so a row is never left behind for lack of a consistent view. A failed condition or a conflict means the
 * view was stale or another writer was first, so the rows are read and decided again. A rebuilt row is checked
 * afterwards (foldRebuilt, below).
 *
 * With a cache, the owners of rows a write was sent for are marked stale here, before this returns or throws, when
 * that write did not come back as a success (an error, or a failed condition that may be the SDK's retry of a write
 * DynamoDB had applied): the result may then not show it. The callers mark the owners of a successful write stale.
 *
 * @throws {@link StaleIndexError} when the view is still stale or incomplete after `maxAttempts`; nothing was written.
 */
export async function syncGroupRows(
  store: StoreContext,
  latest: LatestMessage,
  options: SyncOptions = {},
  request: SyncRequest = {}
): Promise<SyncResult> {
  const { messageGroupUuid } = latest
  const applied = request.applied ?? [latest.sortKey]
  const maxAttempts = options.maxAttempts ?? 5
  const baseDelayMs = options.baseDelayMs ?? 50
  let members: readonly Participant[] | undefined = request.participants
  let membersRead = members !== undefined
  let lastError: unknown
  const inDoubt = new Set<string>()
  try {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0) await backOff(attempt, baseDelayMs)
      const rows = await queryGroupRows(store, messageGroupUuid)
      let decision = planGroupSync({ rows, members }, latest)
      if (!decision.complete && !membersRead) {
        // Read only now: a view that names everyone needs no members item (the common case costs one Query).
        members = await readMembers(store, messageGroupUuid)
        membersRead = true
        decision = planGroupSync({ rows, members }, latest)
      }
      let view: GroupView = { rows, ...(members && { members }) }
      if (!decision.complete && attempt === maxAttempts - 1) ({ view, decision } = await confirmUnseen(store, view, latest, decision))
      if (!decision.complete) {
        const unseen = decision.unseen.join(', ')
        lastError = new Error(unseen ? `the index shows no row for ${unseen}` : 'fewer than two participants can be named')
        continue
      }
      // The messages the counts need, read after the rows and every attempt afresh: a count from messages read before
      // another writer's move could drop a message that writer counted (docs/data-model.md, "Why the counts are exact").
      const counting = options.unreadCounts !== false
      const bounds = counting ? messageRangeToRead(view.rows, latest, applied) : undefined
      const range = bounds && (await queryMessageRange(store, messageGroupUuid, bounds))
      decision = planGroupSync(view, latest, counting ? { ...(range && { range }), applied } : undefined)
      if (!decision.complete) continue // unreachable: the same view was complete just above
      const { plan, recreated, lost, owners } = decision
      const moved = plan.puts.length - recreated
      const corrected = plan.updates?.length ?? 0
      const participants = readStatesAfter(view.rows, plan, messageGroupUuid)
      if (plan.puts.length === 0 && plan.deletes.length === 0 && !plan.updates) {
        return { moved: 0, removed: 0, recreated: 0, corrected: 0, lost, participants, owners }
      }
      if (request.dryRun) return { moved, removed: plan.deletes.length - moved, recreated, corrected, lost, participants, owners }
      try {
        if (options.rowMove === 'ordered') {
          if ((await moveRowsOrdered(store, plan, view.rows)) === 'retry') {
            for (const owner of owners) inDoubt.add(owner) // some of its steps may have been written
            lastError = new Error('a row changed during the ordered move')
            continue
          }
        } else {
          await store.documentClient.send(new TransactWriteCommand({ TransactItems: transactItems(store.tableName, plan, view.rows) }))
        }
        // planGroupSync appends the rebuilt rows after the moves.
        const rebuilt = plan.puts.slice(plan.puts.length - recreated)
        const folded = rebuilt.length > 0 ? await foldRebuilt(store, latest, rebuilt) : 0
        return { moved, removed: plan.deletes.length - moved + folded, recreated, corrected, lost, participants, owners }
      } catch (error) {
        for (const owner of owners) inDoubt.add(owner)
        // A failed condition (a stale view) or a conflict (a concurrent writer): read again and re-decide.
        const cancellation = readCancellation(error)
        if (!cancellation || (cancellation.conditionFailed.length === 0 && !cancellation.conflict)) throw error
        lastError = error
      }
    }
    throw new StaleIndexError(messageGroupUuid, { cause: lastError })
  } finally {
    if (inDoubt.size > 0) await invalidate(store, { users: [...inDoubt] })
  }
}

/**
 * The last resort for owners the index never showed: their rows read strongly consistently from the table. A row
 * found joins the view (it may name someone else to look for); none found is a row truly lost.
 */
async function confirmUnseen(
  store: StoreContext,
  view: GroupView,
  latest: LatestMessage,
  decision: GroupSyncDecision
): Promise<{ view: GroupView; decision: GroupSyncDecision }> {
  const rows = [...view.rows]
  const absent: string[] = []
  const confirmed = new Set<string>()
  let confirmedView: GroupView = view
  while (!decision.complete) {
    const pending = decision.unseen.filter((owner) => !confirmed.has(owner))
    if (pending.length === 0) break
    for (const owner of pending) {
      confirmed.add(owner)
      const found = await queryOwnerRows(store, owner, latest.messageGroupUuid)
      if (found.length > 0) rows.push(...found)
      else absent.push(owner)
    }
    confirmedView = { rows, ...(view.members && { members: view.members }), absent }
    decision = planGroupSync(confirmedView, latest)
  }
  return { view: confirmedView, decision }
}

/**
 * After rebuilding lost rows: each owner's rows of the conversation, read strongly consistently, folded to one. A
 * rebuild's put is conditioned on its own key only, so two writers that both found a row missing (the stream handler
 * and a repair, or two `updateMessageGroups` calls) can each rebuild it at a different message. Both check afterwards,
 * and the later check sees both rows, so the duplicate does not outlive them. A fold that fails its conditions met a
 * writer that already changed those rows. Rebuilt rows carry no unread count yet, so none is lost. Returns the rows
 * removed.
 */
async function foldRebuilt(store: StoreContext, latest: LatestMessage, rebuilt: readonly StoredMessageGroupRow[]): Promise<number> {
  let removed = 0
  for (const row of rebuilt) {
    const owned = await queryOwnerRows(store, row.pk.slice(MESSAGE_GROUP_PREFIX.length), latest.messageGroupUuid)
    if (owned.length < 2) continue
    const plan = planGroupUpdate(owned, latest)
    if (plan.deletes.length === 0) continue
    try {
      await store.documentClient.send(new TransactWriteCommand({ TransactItems: transactItems(store.tableName, plan, owned) }))
      removed += plan.deletes.length - plan.puts.length
    } catch (error) {
      const cancellation = readCancellation(error)
      if (!cancellation || (cancellation.conditionFailed.length === 0 && !cancellation.conflict)) throw error
    }
  }
  return removed
}

/**
 * The transaction's writes: deletes of rows that must still hold the read state they were read with, puts of rows
 * that must not exist yet, and in-place updates of read states under the same condition as the deletes.
 */
function transactItems(tableName: string, plan: GroupUpdatePlan, rows: readonly StoredMessageGroupRow[]) {
  const asRead = new Map(rows.map((row) => [`${row.pk}\n${row.sk}`, row]))
  const was = (key: { pk: string; sk: string }) => asRead.get(`${key.pk}\n${key.sk}`) ?? {}
  return [
    ...plan.deletes.map((key) => ({ Delete: { TableName: tableName, Key: key, ...unchangedReadState(was(key)) } })),
    ...plan.puts.map((row) => ({
      Put: { TableName: tableName, Item: row, ConditionExpression: 'attribute_not_exists(pk)' }
    })),
    ...(plan.updates ?? []).map((update) => ({ Update: readStateUpdate(tableName, update, was(update), update.readState) }))
  ]
}
