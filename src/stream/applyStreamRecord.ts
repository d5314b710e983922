import type { DynamoDBStreamRecord } from './types.js'
import { planGroupUpdate, type GroupCounting, type GroupUpdatePlan } from '../patterns/planGroupUpdate.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import type { LatestMessage } from '../types.js'
import { describeThrown } from './describeThrown.js'
import { readStreamMessage, type StreamSkipReason } from './readStreamMessage.js'

/**
 * What one stream record means for a conversation's rows: the writes to make, or why there are none; returned by
 * {@link applyStreamRecord}.
 *
 * @example
 * ```ts
 * const outcome: StreamRecordOutcome = applyStreamRecord(record, rows)
 * switch (outcome.kind) {
 *   case 'write': return writeInOneTransaction(outcome.plan) // moves the rows to outcome.latest
 *   case 'skip': return console.log(outcome.reason, outcome.detail)
 * }
 * ```
 */
export type StreamRecordOutcome =
  | { kind: 'write'; latest: LatestMessage; plan: GroupUpdatePlan }
  | { kind: 'skip'; reason: StreamSkipReason; detail: string }

/**
 * Pattern D as a pure function: given a DynamoDB Streams record and the current rows of the record's conversation
 * (for example from the `message-group-sk-index` GSI), returns the deletes and puts that bring every participant's
 * row to the record's message, or a typed reason to write nothing.
 *
 * With `counting` (`{ range }`: the conversation's messages within the bounds {@link messageRangeToRead} gives for
 * these rows and the record's message, read strongly consistently after the rows; `{}` when it gives none), the plan
 * also keeps every row's unread count and read marker exact: moved rows carry them, and `plan.updates` recounts a row
 * that a repeated or late record changes. Without it, moved rows are written without a count (see
 * {@link planGroupUpdate}); a range that does not cover the bounds is a `malformed` skip.
 *
 * - Pure: no I/O, no clock, no randomness; the same input gives the same output.
 * - Total: never throws, whatever it is given; malformed input is a `malformed` skip that names the problem.
 * - Monotonic and idempotent: a message older than or equal to what the rows show yields no writes, so folding
 *   any delivery of a history (duplicates, any order across items) converges to the newest message.
 *
 * Write the plan with every delete conditioned on `attribute_exists(pk)` (and, with counts, on the read state it was
 * read with) and every put on `attribute_not_exists(pk)`, in one transaction; `createStreamHandler` does exactly that.
 *
 * @example
 * ```ts
 * import { applyStreamRecord } from 'dynamo-messaging'
 *
 * const outcome = applyStreamRecord(record, rowsOfTheConversation, { range: messagesInRange })
 * if (outcome.kind === 'write') await writeInOneTransaction(outcome.plan)
 * else console.log('skip', outcome.reason, outcome.detail)
 * ```
 */
export function applyStreamRecord(
  record: DynamoDBStreamRecord,
  rows: readonly StoredMessageGroupRow[],
  counting?: GroupCounting
): StreamRecordOutcome {
  try {
    const read = readStreamMessage(record)
    if (!read.ok) return { kind: 'skip', reason: read.reason, detail: read.detail }
    // Rows come from the table; anything else (a caller's mistake) is left out rather than thrown on.
    const valid = !Array.isArray(rows) ? [] : rows.every(isRow) ? rows : rows.filter(isRow)
    const plan = planGroupUpdate(valid, read.latest, counting)
    if (plan.puts.length === 0 && plan.deletes.length === 0 && !plan.updates) {
      return { kind: 'skip', reason: 'already-current', detail: 'every row shows this message or a newer one' }
    }
    return { kind: 'write', latest: read.latest, plan }
  } catch (error) {
    // Unreachable for records and rows of the documented shapes; a last guard keeps the function total.
    return { kind: 'skip', reason: 'malformed', detail: `unreadable input: ${describeThrown(error)}` }
  }
}

const isRow = (row: unknown): row is StoredMessageGroupRow =>
  typeof row === 'object' &&
  row !== null &&
  typeof (row as StoredMessageGroupRow).pk === 'string' &&
  typeof (row as StoredMessageGroupRow).sk === 'string'
