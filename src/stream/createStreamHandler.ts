import { forEachLimited } from '../concurrency/forEachLimited.js'
import type { ClientOptions } from '../context.js'
import { createStoreContext } from '../createStoreContext.js'
import { compare } from '../keys/compare.js'
import { updateInbox, type InboxUpdateOptions } from '../inbox/updateInbox.js'
import { invalidate } from '../cache/invalidate.js'
import type { CacheOptions } from '../cache/MessagingCache.js'
import type { LatestMessage } from '../types.js'
import type { ParticipantReadState } from '../inbox/readState.js'
import { messagePk } from '../keys/keys.js'
import { readStreamMessage, type StreamSkipReason } from './readStreamMessage.js'
import type { DynamoDBStreamBatch, DynamoDBStreamRecord, StreamBatchResponse } from './types.js'
import { validateStreamHandlerOptions } from './validateStreamHandlerOptions.js'

/**
 * Options of {@link createStreamHandler}.
 *
 * @example
 * ```ts
 * export const handler = createStreamHandler({
 *   client: new DynamoDBClient({}),
 *   tableName: process.env.TABLE_NAME,
 *   concurrency: 4,
 *   onSkip: (record, reason) => reason === 'malformed' && console.warn('malformed record', record.eventID),
 *   onError: (error, messageGroupUuid) => console.error('could not update', messageGroupUuid, error),
 *   onApplied: async ({ messageGroupUuid, participants }) => notify(messageGroupUuid, participants)
 * })
 * ```
 */
export interface StreamHandlerOptions extends ClientOptions, InboxUpdateOptions, CacheOptions {
  /**
   * Conversations updated at the same time: a whole number from 1 to 1000. Default 8. Within one conversation, up to
   * 16 row updates are in flight.
   */
  concurrency?: number
  /** Called for each record that needs no write (another item type, a REMOVE, a malformed image). */
  onSkip?: (record: DynamoDBStreamRecord, reason: StreamSkipReason, detail: string) => void
  /** Called when a conversation could not be updated; its records are reported as failed. */
  onError?: (error: unknown, messageGroupUuid: string) => void
  /**
   * Called once per conversation per batch, after its rows are written (or found already current): push the news to
   * its participants from here (API Gateway WebSocket, AppSync, server-sent events). At least once: a batch delivered
   * again calls it again, and it never runs before the rows are written. Awaited; if it throws or rejects, that
   * conversation's records are reported as failed (and `onError` is called), so Lambda delivers them again and the
   * call repeats. See docs/stream.md.
   */
  onApplied?: (applied: AppliedConversation) => void | Promise<void>
}

/**
 * What {@link StreamHandlerOptions.onApplied} is told about one conversation of a batch.
 *
 * @example
 * ```ts
 * const onApplied = async ({ messageGroupUuid, message, participants }: AppliedConversation) => {
 *   for (const { userUuid, unreadCount } of participants) {
 *     await push(userUuid, { messageGroupUuid, text: message.message, from: message.userUuid, unreadCount })
 *   }
 * }
 * ```
 */
export interface AppliedConversation {
  /** The conversation. */
  messageGroupUuid: string
  /**
   * The newest of the batch's messages in this conversation (its sender's fields when the stream image has them).
   * The rows may already show a newer one, whose own records call `onApplied` again.
   */
  message: LatestMessage
  /** Every member with a row, and their unread count and read marker as the rows now say. */
  participants: ParticipantReadState[]
}

/**
 * A Lambda handler for the table's stream, made by {@link createStreamHandler}.
 *
 * @example
 * ```ts
 * const handler: StreamHandler = createStreamHandler({ client })
 * const { batchItemFailures } = await handler({ Records: event.Records })
 * ```
 */
export type StreamHandler = (event: DynamoDBStreamBatch) => Promise<StreamBatchResponse>

/**
 * Creates the Lambda handler for the table's DynamoDB stream (Pattern D). Every record of the batch is read; the
 * records of one conversation are coalesced, so a burst of N messages into it costs one read of its members and rows,
 * one of the new messages, and one conditional UpdateItem per member whose row changes, straight to the newest
 * message. Conversations are updated independently and in parallel. A record that is not a new message, or cannot be
 * read at all (even one whose getters throw), is skipped through `onSkip`.
 *
 * Options are checked when it is called: a bad one (`concurrency: Number(process.env.UNSET)` is NaN) is a
 * {@link ValidationError} listing every problem, not a handler that does nothing.
 *
 * Returns `{ batchItemFailures }` for Lambda's `ReportBatchItemFailures`: every record of a conversation that could
 * not be updated (or whose `onApplied` threw), lowest sequence number first, since Lambda retries from it. Records that
 * succeeded but are delivered again are harmless: updates are idempotent, never move a row back, and keep the unread
 * counts exact.
 *
 * With a `cache` (the one the API's `createMessaging` reads through), each participant's cached conversation list is
 * marked stale after their rows moved, or were found current, and before the records are reported done (or failed,
 * when a row write was sent whose outcome is unknown). A cache that
 * fails is reported through `onCacheError` and never fails a record: delivering it again would not mend the cache.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { createStreamHandler } from 'dynamo-messaging/stream'
 *
 * export const handler = createStreamHandler({ client: new DynamoDBClient({}), tableName: process.env.TABLE_NAME })
 * ```
 */
export function createStreamHandler(options: StreamHandlerOptions): StreamHandler {
  // Checked now, not at the first event: `concurrency: NaN` would start no worker and report every record done.
  const { concurrency } = validateStreamHandlerOptions(options)
  const store = createStoreContext(options)

  return async (event) => {
    const records: DynamoDBStreamRecord[] = Array.isArray(event?.Records) ? event.Records : []
    // Per conversation: its newest message, the sort keys of all its messages, and the positions of their records.
    const newest = new Map<string, LatestMessage>()
    const applied = new Map<string, string[]>()
    const positions = new Map<string, number[]>()
    records.forEach((record, position) => {
      const read = readStreamMessage(record)
      if (!read.ok) return options.onSkip?.(record, read.reason, read.detail)
      const { messageGroupUuid, sortKey } = read.latest
      positions.set(messageGroupUuid, [...(positions.get(messageGroupUuid) ?? []), position])
      applied.set(messageGroupUuid, [...(applied.get(messageGroupUuid) ?? []), sortKey])
      const current = newest.get(messageGroupUuid)
      if (!current || compare(sortKey, current.sortKey) > 0) newest.set(messageGroupUuid, read.latest)
    })

    // Read once, without throwing: a record built to throw must not take the batch down (Lambda's are plain JSON).
    const sequenceNumbers = records.map(readSequenceNumber)
    const failed: number[] = []
    await forEachLimited([...newest], concurrency, async ([messageGroupUuid, latest]) => {
      try {
        const result = await updateInbox(store, latest, applied.get(messageGroupUuid) ?? [], options)
        if (result.unknown) {
          for (const position of positions.get(messageGroupUuid) ?? []) {
            options.onSkip?.(records[position]!, 'no-members', `message group ${messageGroupUuid} has no members`)
          }
          return
        }
        // Before anyone is told: a client pushed by onApplied that reads again must not get a cached page.
        const sk = messagePk(messageGroupUuid)
        await invalidate(store, { rows: result.owners.map((owner) => ({ ...owner, sk })) })
        const { participants } = result
        // After the commit (or finding the rows current): a batch delivered again after a crash right here still
        // notifies, and a failed notification fails the records, so it is retried with them.
        await options.onApplied?.({ messageGroupUuid, message: latest, participants })
      } catch (error) {
        options.onError?.(error, messageGroupUuid)
        failed.push(...(positions.get(messageGroupUuid) ?? []))
      }
    })

    return {
      batchItemFailures: failed
        .sort((a, b) => bySequenceNumber(sequenceNumbers[a]!, sequenceNumbers[b]!) || a - b)
        // An unreadable sequence number is reported as '', which makes Lambda retry the whole batch: never lost.
        .map((position) => ({ itemIdentifier: sequenceNumbers[position]! }))
    }
  }
}

/** The record's `SequenceNumber`, or '' when it has none or reading it throws. */
function readSequenceNumber(record: DynamoDBStreamRecord | undefined): string {
  try {
    const sequenceNumber = record?.dynamodb?.SequenceNumber
    return typeof sequenceNumber === 'string' ? sequenceNumber : ''
  } catch {
    return ''
  }
}

/** Sequence numbers are decimal strings of up to 40 digits: compare by length, then as text. */
function bySequenceNumber(left: string, right: string): number {
  return left.length - right.length || compare(left, right)
}
