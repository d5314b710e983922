import type { StoreContext } from '../createStoreContext.js'
import { MissingIndexError } from '../errors/MissingIndexError.js'
import { UNREAD_INDEX } from '../table/tableDefinition.js'
import { queryAll } from '../table/queryAll.js'
import { batchGetItems } from '../table/batchGetItems.js'
import { readStateOf } from '../inbox/readState.js'
import { Validator } from '../validation/validate.js'

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
  /** Unread messages across them: the sum of their `unreadCount` (each at most 100). */
  messages: number
}

/**
 * A user's unread totals from the sparse `unread-index`, which holds a conversation row only while it has something
 * unread, and the rows it names (one BatchGetItem): the cost follows the conversations with unread messages (about
 * 0.5 read units each), never the number of conversations the user has. The index is eventually consistent, so a
 * `markRead` or a new message may show a moment later.
 *
 * @throws {@link ValidationError} for a bad uuid; {@link MissingIndexError} on a table without `unread-index`.
 */
export async function countUnread(store: StoreContext, input: CountUnreadInput): Promise<UnreadTotals> {
  const check = new Validator()
  const fields = check.object('input', input)
  const userUuid = check.uuid('userUuid', fields.userUuid)
  check.done()
  const entries = await queryAll<{ pk: string; sk: string }>(store, {
    IndexName: UNREAD_INDEX,
    KeyConditionExpression: 'unread_owner_uuid = :owner',
    ExpressionAttributeValues: { ':owner': userUuid }
  }).catch((error: unknown) => {
    const problem = indexProblem(error)
    throw problem ? new MissingIndexError(store.tableName, UNREAD_INDEX, { cause: error, building: problem === 'building' }) : error
  })
  // The index holds keys only (a count that changes costs it nothing): the counts come from the rows it names.
  const rows = await batchGetItems(store, entries.map(({ pk, sk }) => ({ pk, sk })))
  let conversations = 0
  let messages = 0
  for (const row of rows) {
    const count = readStateOf(row).count ?? 0
    if (count > 0) {
      conversations++
      messages += count
    }
  }
  return { conversations, messages }
}

/** DynamoDB's answer to a Query of an index the table does not have, or has not finished building. */
function indexProblem(error: unknown): 'missing' | 'building' | undefined {
  if (typeof error !== 'object' || error === null || (error as { name?: unknown }).name !== 'ValidationException') return undefined
  const message = String((error as { message?: unknown }).message)
  if (/backfilling/i.test(message)) return 'building'
  return /specified index/i.test(message) ? 'missing' : undefined
}
