import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { invalidate } from '../cache/invalidate.js'
import type { MessagingContext } from '../context.js'
import type { StoreContext } from '../createStoreContext.js'
import { ConcurrentUpdateError } from '../errors/ConcurrentUpdateError.js'
import { compare } from '../keys/compare.js'
import { isMessageSortKey, messagePk, rowKey } from '../keys/keys.js'
import { readNewestMessage } from '../table/readNewestMessage.js'
import { backOff } from '../retry/backOff.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { applyRecipe, recipeBounds, type RowRecipe } from '../inbox/planRow.js'
import { readMessageRange } from '../inbox/readMessageRange.js'
import { lastReadAtOf, readStateOf, storedReadState, type ReadState } from '../inbox/readState.js'
import { writeRowUpdate } from '../inbox/writeRowUpdate.js'
import { Validator } from '../validation/validate.js'
import { assertMember } from './membership.js'

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
 * if (changed) invalidateConversationList(userUuid) // only this user's row changed
 * ```
 */
export interface MarkReadResult {
  /** The conversation. */
  messageGroupUuid: string
  /** The user whose row (`GRP#<userUuid>`) holds the read state. */
  userUuid: string
  /** Whether the read marker moved; false for a repeat, or an `upTo` at or before the marker (never backwards). */
  changed: boolean
  /** Messages from others after the read marker, at most 100. */
  unreadCount: number
  /** When the newest message read was sent, ISO-8601 UTC; absent when never read (or not recorded). */
  lastReadAt?: string
  /** The read marker: the sort key of the newest message read. */
  lastReadSortKey?: string
}

/** Decisions before giving up when the row keeps changing under the write (Pattern D, another markRead). */
const ATTEMPTS = 5
const BASE_DELAY_MS = 20

/**
 * Marks a conversation read for one member up to a message (by default its newest): one conditional UpdateItem of
 * their conversation row, which must still be at the revision it was read at. A Pattern D update or another
 * `markRead` landing in between fails that condition, and the row is read again, so neither effect is lost. Never
 * moves the marker backwards; safe to repeat. With a cache, the user's lists are marked stale whenever a write was
 * attempted, also when its answer was lost (a retry then finds the row already read).
 *
 * @throws {@link ValidationError} for bad input; {@link NotAMemberError} when the user takes part in no conversation
 *   with this uuid (none exists or they are not a member: one answer, as for `listMessages`); nothing is written.
 * @throws {@link ConcurrentUpdateError} when the row kept changing through every attempt.
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
  await assertMember(ctx, messageGroupUuid, userUuid)

  const result = (changed: boolean, state: ReadState): MarkReadResult => ({
    messageGroupUuid,
    userUuid,
    changed,
    unreadCount: state.count ?? 0,
    ...(state.marker !== undefined && { lastReadAt: lastReadAtOf(state.marker), lastReadSortKey: state.marker })
  })
  let attempted: { rev?: number; lastSk: string } | undefined
  try {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) await backOff(attempt - 1, BASE_DELAY_MS, Math.random)
      const { Item } = await ctx.documentClient.send(
        new GetCommand({ TableName: ctx.tableName, Key: rowKey(userUuid, messageGroupUuid), ConsistentRead: true })
      )
      const row = Item as StoredMessageGroupRow | undefined
      // A member without a row (other code deleted it; `repair` rebuilds it): nothing holds a read state to move.
      if (!row) return result(false, { count: 0 })
      const state = readStateOf(row)
      const recipe = markReadRecipe(row.last_sk, state, await resolveUpTo(ctx, messageGroupUuid, row, upTo))
      if (recipe.kind === 'keep') return result(false, state)
      const bounds = recipeBounds(recipe)
      // A recount stops at the cap: what lies further down cannot lower it.
      const read = (range: Parameters<typeof applyRecipe>[2]) => applyRecipe(recipe, userUuid, range) !== undefined
      const range = bounds && (await readMessageRange(ctx, messageGroupUuid, bounds, read))
      const next = applyRecipe(recipe, userUuid, range)!
      attempted = { lastSk: row.last_sk }
      const rev = await writeRowUpdate(ctx, {
        pk: row.pk,
        sk: row.sk,
        rev: row.rev,
        // The last message the row shows stays as it is (a write that leaves an optional attribute out removes it).
        set: {
          last_sk: row.last_sk,
          message: row.message,
          sender_uuid: row.sender_uuid,
          sender_display_name: row.sender_display_name,
          sender_handle: row.sender_handle,
          ...storedReadState(userUuid, next)
        }
      })
      if (rev !== undefined) {
        attempted.rev = rev
        return result(true, next)
      }
    }
    throw new ConcurrentUpdateError(messageGroupUuid, 1)
  } finally {
    // Attempted: the write may have landed even when its answer was lost, so the user's lists are stale either way.
    if (attempted) {
      const sk = messagePk(messageGroupUuid)
      const { rev, lastSk } = attempted
      await invalidate(ctx, rev === undefined ? { users: [userUuid] } : { rows: [{ userUuid, sk, rev, lastSk }] })
    }
  }
}

/**
 * `markRead`'s decision for one row, pure: nothing when `upTo` is not past the marker (never backwards; a repeat is a
 * no-op); otherwise a recount from `upTo` to the row's last message.
 */
export function markReadRecipe(lastSk: string, state: ReadState, upTo: string): RowRecipe {
  const base = state.marker !== undefined && compare(state.marker, upTo) >= 0 ? state.marker : upTo
  if (base === state.marker && state.count !== undefined) return { kind: 'keep' }
  return { kind: 'recount', base, through: lastSk }
}

/**
 * Where the marker goes: `upTo` while it is before the row's message (no read needed); otherwise, and by default, no
 * further than the conversation's newest message, so a key from the future cannot mark messages not yet sent.
 */
async function resolveUpTo(store: StoreContext, messageGroupUuid: string, row: StoredMessageGroupRow, upTo: string | undefined): Promise<string> {
  if (upTo !== undefined && compare(upTo, row.last_sk) < 0) return upTo
  const newest = await newestMessageSk(store, messageGroupUuid)
  if (newest === undefined) return row.last_sk // no message at all (other code deleted them): read up to the row's own
  return upTo === undefined || compare(upTo, newest) > 0 ? newest : upTo
}

/** The sort key of the conversation's newest message. */
async function newestMessageSk(store: StoreContext, messageGroupUuid: string): Promise<string | undefined> {
  const sk = (await readNewestMessage(store, messageGroupUuid))?.sk
  return typeof sk === 'string' ? sk : undefined
}
