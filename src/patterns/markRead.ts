import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { invalidate } from '../cache/invalidate.js'
import type { MessagingContext, StoreContext } from '../context.js'
import { StaleIndexError } from '../errors/StaleIndexError.js'
import { compare } from '../keys/compare.js'
import { isMessageSortKey, MESSAGE_SK_FLOOR, messageGroupPk, messagePk } from '../keys/keys.js'
import { backOff } from '../retry/backOff.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { applyRecipe, markReadRecipe, recipeBounds } from '../unread/planReadState.js'
import { queryMessageRange } from '../unread/queryMessageRange.js'
import { lastReadAtOf, readStateOf, storedReadState, type ReadState } from '../unread/readState.js'
import { updateReadState } from '../unread/updateReadState.js'
import { Validator } from '../validation/validate.js'
import { assertParticipant } from './membership.js'
import { newestRow } from './newestRow.js'
import { queryGroupRows } from './queryGroupRows.js'
import { queryOwnerRows } from './queryOwnerRows.js'

/**
 * Input of {@link MessagingClient.markRead}.
 *
 * @example
 * ```ts
 * await messaging.markRead({ messageGroupUuid, userUuid: alice.uuid }) // up to the newest message
 * await messaging.markRead({ messageGroupUuid, userUuid: alice.uuid, upTo: lastShown.sortKey }) // up to one message
 * ```
 */
export interface MarkReadInput {
  /** The conversation; the user must take part in it ({@link NotAMemberError} otherwise). */
  messageGroupUuid: string
  /** Who has read it. */
  userUuid: string
  /**
   * The sort key of the newest message read ({@link Message.sortKey}); default the conversation's newest message. A
   * key past the newest message counts as the newest.
   */
  upTo?: string
}

/**
 * Result of {@link MessagingClient.markRead}: the user's read state of the conversation afterwards.
 *
 * @example
 * ```ts
 * const { unreadCount, changed } = await messaging.markRead({ messageGroupUuid, userUuid })
 * if (changed) notifyOtherTabs(userUuid, unreadCount) // this user's unread count went down
 * ```
 */
export interface MarkReadResult {
  /** The conversation. */
  messageGroupUuid: string
  /** The user whose row (`GRP#<userUuid>`) holds the read state. */
  userUuid: string
  /**
   * Whether this call moved the read marker; false for a repeat, or an `upTo` at or before the marker (never backwards).
   * Also false when the answer to its write was lost and the SDK's retry found the row already read, so a cache of
   * your own must not rely on it: the library's cache is told whenever a write was sent.
   */
  changed: boolean
  /** Messages from the other participant after the read marker. */
  unreadCount: number
  /** When the newest message read was sent, ISO-8601 UTC; absent when never read (or not recorded). */
  lastReadAt?: string
  /** The read marker: the sort key of the newest message read. */
  lastReadSortKey?: string
}

/** Reads of the user's row before giving up (the index may lag, or the row may move meanwhile), and the first back-off. */
const ATTEMPTS = 5
const BASE_DELAY_MS = 20

/**
 * Marks a conversation read for one participant up to a message (by default its newest): one conditional UpdateItem
 * of their conversation row, which must still hold the read state it was read with. A Pattern D move or another
 * `markRead` landing in between fails that condition, and the row is read again, so neither effect is lost. Never
 * moves the marker backwards; safe to repeat. With a cache, once an UpdateItem was sent the user's cached conversation
 * lists are marked stale before this returns or throws, also when its outcome is unknown (an answer lost, then
 * `changed: false` because the SDK's retry found the row already read).
 *
 * @throws {@link ValidationError} for bad input; {@link NotAMemberError} when the user takes part in no conversation
 *   with this uuid (none exists or they are not a participant: one answer, as for `listMessages`); nothing is written.
 * @throws {@link StaleIndexError} when the row kept moving or the index kept lagging through every attempt.
 */
export async function markRead(ctx: MessagingContext, input: MarkReadInput): Promise<MarkReadResult> {
  const check = new Validator()
  const fields = check.object('input', input)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  const userUuid = check.uuid('userUuid', fields.userUuid)
  if (fields.upTo !== undefined && !isMessageSortKey(fields.upTo)) {
    check.fail('upTo', 'up_to_invalid', 'must be a message sort key such as Message.sortKey')
  }
  check.done()
  const upTo = fields.upTo as string | undefined
  await assertParticipant(ctx, messageGroupUuid, userUuid)

  const result = (row: { changed: boolean; state: ReadState }): MarkReadResult => {
    const marker = row.state.legacy ? undefined : row.state.marker
    return {
      messageGroupUuid,
      userUuid,
      changed: row.changed,
      unreadCount: row.state.legacy ? 0 : row.state.count,
      ...(marker !== undefined && { lastReadAt: lastReadAtOf(marker), lastReadSortKey: marker })
    }
  }
  let lastError: unknown
  // Set once an UpdateItem was sent: from then on the row may have changed, whatever this call answers. An answer lost
  // after DynamoDB applied it is retried by the SDK, the retry fails its condition, and the next read finds the row
  // already read (`keep`): the user's cached lists must still be told.
  let sent = false
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await backOff(attempt, BASE_DELAY_MS, Math.random)
      // The index first (it may lag or show a row that has moved: the write's condition tells); on the last attempt,
      // the user's rows from the table itself.
      const last = attempt === ATTEMPTS - 1
      const rows = last
        ? await queryOwnerRows(ctx, userUuid, messageGroupUuid)
        : (await queryGroupRows(ctx, messageGroupUuid)).filter((row) => row.pk === messageGroupPk(userUuid))
      if (rows.length === 0) {
        // A participant without a row: one the bootcamp code lost. Nothing holds a read state to move.
        if (last) return result({ changed: false, state: { legacy: true } })
        lastError = new Error(`the index shows no row of ${userUuid}`)
        continue
      }
      const row = newestRow(rows)
      const state = readStateOf(row)
      const target = await resolveUpTo(ctx, messageGroupUuid, row, upTo)
      const recipe = markReadRecipe(row.sk, state, target)
      if (recipe.kind === 'keep') return result({ changed: false, state })
      const bounds = recipeBounds(recipe)
      const next = applyRecipe(recipe, userUuid, bounds && (await queryMessageRange(ctx, messageGroupUuid, bounds)))
      sent = true
      if (await updateReadState(ctx, row, storedReadState(userUuid, next))) return result({ changed: true, state: { legacy: false, ...next } })
      lastError = new Error(`the row of ${userUuid} moved or changed while it was read`)
    }
    throw new StaleIndexError(messageGroupUuid, { cause: lastError })
  } finally {
    // Before returning or throwing: the user's cached conversation lists show the old count.
    if (sent) await invalidate(ctx, { users: [userUuid] })
  }
}

/**
 * Where the marker goes: `upTo` while it is before the row's message (no read needed); otherwise, and by default, no
 * further than the conversation's newest message, so a key from the future cannot mark messages not yet sent.
 */
async function resolveUpTo(store: StoreContext, messageGroupUuid: string, row: StoredMessageGroupRow, upTo: string | undefined): Promise<string> {
  if (upTo !== undefined && compare(upTo, row.sk) < 0) return upTo
  const newest = await newestMessageSk(store, messageGroupUuid)
  if (newest === undefined) return row.sk // no message at all (other code deleted them): read up to the row's own
  return upTo === undefined || compare(upTo, newest) > 0 ? newest : upTo
}

/** The sort key of the conversation's newest message: one strongly consistent Query, newest first, limit 1. */
async function newestMessageSk(store: StoreContext, messageGroupUuid: string): Promise<string | undefined> {
  const { Items } = await store.documentClient.send(
    new QueryCommand({
      TableName: store.tableName,
      KeyConditionExpression: 'pk = :pk AND sk >= :floor', // the floor leaves out #MEMBERS
      ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':floor': MESSAGE_SK_FLOOR },
      ProjectionExpression: 'sk',
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true
    })
  )
  const sk = Items?.[0]?.sk
  return typeof sk === 'string' ? sk : undefined
}
