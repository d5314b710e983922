import type { StoreContext } from '../context.js'
import { MissingIndexError } from '../errors/MissingIndexError.js'
import { compare } from '../keys/compare.js'
import { UNREAD_INDEX } from '../table/tableDefinition.js'
import { readStateOf } from '../unread/readState.js'
import { Validator } from '../validation/validate.js'
import { queryAllRows } from './queryAllRows.js'

/**
 * Input of {@link MessagingClient.countUnread}.
 *
 * @example
 * ```ts
 * const badge = await messaging.countUnread({ userUuid: alice.uuid })
 * ```
 */
export interface CountUnreadInput {
  /** Whose unread messages to count. */
  userUuid: string
}

/**
 * A user's unread totals, for a badge: returned by {@link MessagingClient.countUnread}.
 *
 * @example
 * ```ts
 * const { conversations, messages }: UnreadTotals = await messaging.countUnread({ userUuid })
 * console.log(`${messages} new messages in ${conversations} conversations`)
 * ```
 */
export interface UnreadTotals {
  /** Conversations with at least one unread message. */
  conversations: number
  /** Unread messages across them: the sum of their `unreadCount`. */
  messages: number
}

/**
 * A user's unread totals from the sparse `unread-index`, which holds a conversation row only while it has something
 * unread: the cost follows the conversations with unread messages (about 0.5 read units per 20 of them), never the
 * number of conversations the user has. The index is eventually consistent, so a `markRead` or a new message may show
 * a moment later.
 *
 * @throws {@link ValidationError} for a bad uuid; {@link MissingIndexError} on a table without `unread-index`.
 */
export async function countUnread(store: StoreContext, input: CountUnreadInput): Promise<UnreadTotals> {
  const check = new Validator()
  const fields = check.object('input', input)
  const userUuid = check.uuid('userUuid', fields.userUuid)
  check.done()
  const entries = await queryAllRows<Record<string, unknown>>(store, {
    IndexName: UNREAD_INDEX,
    KeyConditionExpression: 'unread_owner_uuid = :owner',
    ExpressionAttributeValues: { ':owner': userUuid }
  }).catch((error: unknown) => {
    const problem = indexProblem(error)
    throw problem ? new MissingIndexError(store.tableName, UNREAD_INDEX, { cause: error, building: problem === 'building' }) : error
  })
  // One row per conversation as a rule; a duplicate (two concurrent rebuilds) counts once, its newest row.
  const newest = new Map<string, { sk: string; count: number }>()
  for (const item of entries) {
    const state = readStateOf(item)
    if (state.legacy || state.count === 0 || typeof item.message_group_uuid !== 'string' || typeof item.sk !== 'string') continue
    const seen = newest.get(item.message_group_uuid)
    if (!seen || compare(item.sk, seen.sk) > 0) newest.set(item.message_group_uuid, { sk: item.sk, count: state.count })
  }
  let messages = 0
  for (const { count } of newest.values()) messages += count
  return { conversations: newest.size, messages }
}

/** DynamoDB's answer to a Query of an index the table does not have, or has not finished building. */
function indexProblem(error: unknown): 'missing' | 'building' | undefined {
  if (typeof error !== 'object' || error === null || (error as { name?: unknown }).name !== 'ValidationException') return undefined
  const message = String((error as { message?: unknown }).message)
  if (/backfilling/i.test(message)) return 'building'
  return /specified index/i.test(message) ? 'missing' : undefined
}
