import type { DynamoDBStreamRecord } from './types.js'
import { MESSAGE_PREFIX } from '../keys/keys.js'
import { planInboxUpdate, type RowUpdate } from '../inbox/planInboxUpdate.js'
import type { MessageRange, MessageRangeBounds } from '../inbox/messageRange.js'
import { isMessageRange } from '../inbox/isMessageRange.js'
import { isStoredRow } from '../table/isStoredRow.js'
import type { ParticipantReadState } from '../inbox/readState.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import type { LatestMessage } from '../types.js'
import { describeThrown } from './describeThrown.js'
import { readStreamMessage, type StreamSkipReason } from './readStreamMessage.js'

/**
 * What one stream record means for its conversation's rows, returned by {@link applyStreamRecord}: the messages to
 * read first, the row updates to make, or why there are none.
 *
 * @example
 * ```ts
 * let outcome: StreamRecordOutcome = applyStreamRecord(record, rows)
 * if (outcome.kind === 'read') outcome = applyStreamRecord(record, rows, await readMessages(outcome.bounds))
 * if (outcome.kind === 'write') await Promise.all(outcome.updates.map(writeConditionedOnRev))
 * ```
 */
export type StreamRecordOutcome =
  | { kind: 'read'; latest: LatestMessage; bounds: MessageRangeBounds }
  | { kind: 'write'; latest: LatestMessage; updates: RowUpdate[]; participants: ParticipantReadState[] }
  | { kind: 'skip'; reason: StreamSkipReason; detail: string }

/**
 * Pattern D as a pure function: given a DynamoDB Streams record and the current rows of its conversation's members,
 * returns the update of each row that must change so that it shows the record's message (or a newer one) with an exact
 * unread count, the messages to read before it can tell, or a typed reason to write nothing.
 *
 * `range` is the conversation's messages within the bounds a `read` outcome asked for, read strongly consistently
 * AFTER the rows (newest first; it may stop short where a count reaches the cap). Previews and counts come from it,
 * never from the record's image, which a redelivery carries stale.
 *
 * - Pure: no I/O, no clock, no randomness; the same input gives the same output.
 * - Total: never throws, whatever it is given; malformed input is a `malformed` skip that names the problem.
 * - Monotonic and idempotent: a row never goes back to an older message, and an update that would store what the row
 *   holds is left out, so folding any delivery of a history (duplicates, any order) converges.
 *
 * Write each update with an UpdateItem conditioned on the row's `rev` being the one read (and setting `rev` one
 * higher); a failed condition means the row changed: read it again and apply again. `createStreamHandler` does exactly
 * that.
 *
 * @example
 * ```ts
 * import { applyStreamRecord } from 'dynamo-messaging'
 *
 * let outcome = applyStreamRecord(record, rowsOfTheMembers)
 * if (outcome.kind === 'read') outcome = applyStreamRecord(record, rowsOfTheMembers, await readMessages(outcome.bounds))
 * if (outcome.kind === 'write') for (const update of outcome.updates) await writeConditionedOnRev(update)
 * ```
 */
export function applyStreamRecord(
  record: DynamoDBStreamRecord,
  rows: readonly StoredMessageGroupRow[],
  range?: MessageRange
): StreamRecordOutcome {
  try {
    const read = readStreamMessage(record)
    if (!read.ok) return { kind: 'skip', reason: read.reason, detail: read.detail }
    const { latest } = read
    // Rows come from the table; anything else, or a row of another conversation (a caller's mistake), is left out.
    const sk = `${MESSAGE_PREFIX}${latest.messageGroupUuid}`
    const valid = Array.isArray(rows) ? rows.filter((row) => isStoredRow(row) && row.sk === sk) : []
    if (range !== undefined && !isMessageRange(range)) return { kind: 'skip', reason: 'malformed', detail: 'range is not { after?, through, messages }' }
    const plan = planInboxUpdate({ rows: valid, latestSk: latest.sortKey, applied: [latest.sortKey], ...(range && { range }) })
    if (plan.kind === 'read') return { kind: 'read', latest, bounds: plan.bounds }
    if (plan.updates.length === 0) return { kind: 'skip', reason: 'already-current', detail: 'every row already shows this message' }
    return { kind: 'write', latest, updates: plan.updates, participants: plan.participants }
  } catch (error) {
    // Unreachable for records and rows of the documented shapes; a last guard keeps the function total.
    return { kind: 'skip', reason: 'malformed', detail: `unreadable input: ${describeThrown(error)}` }
  }
}
