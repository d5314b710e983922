import { createStoreContext, type ClientOptions } from '../context.js'
import { compare, type GroupUpdatePlan } from '../patterns/planGroupUpdate.js'
import { syncGroupRows, type SyncOptions } from '../patterns/syncGroupRows.js'
import { applyStreamRecord } from './applyStreamRecord.js'
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
 *   onError: (error, messageGroupUuid) => console.error('could not update', messageGroupUuid, error)
 * })
 * ```
 */
export interface StreamHandlerOptions extends ClientOptions, SyncOptions {
  /** Conversations updated at the same time: a whole number from 1 to 1000. Default 8. */
  concurrency?: number
  /** Called for each record that needs no write (another item type, a REMOVE, a malformed image). */
  onSkip?: (record: DynamoDBStreamRecord, reason: StreamSkipReason, detail: string) => void
  /** Called when a conversation could not be updated; its records are reported as failed. */
  onError?: (error: unknown, messageGroupUuid: string) => void
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

const NOTHING: GroupUpdatePlan = { deletes: [], puts: [] }

/**
 * Creates the Lambda handler for the table's DynamoDB stream (Pattern D). Every record of the batch is read; the
 * records of one conversation are coalesced, so a burst of N messages into it costs one read and one transaction,
 * moving its rows straight to the newest message. Conversations are updated independently and in parallel.
 *
 * Options are checked when it is called: a bad one (`concurrency: Number(process.env.UNSET)` is NaN) is a
 * {@link ValidationError} listing every problem, not a handler that does nothing.
 *
 * Returns `{ batchItemFailures }` for Lambda's `ReportBatchItemFailures`: every record of a conversation that could
 * not be updated, lowest sequence number first, since Lambda retries from it. Records that succeeded but are
 * delivered again are harmless: updates are idempotent and never move a row back.
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
    // Per conversation: the record of its newest message, and the positions of all its records.
    const newest = new Map<string, { record: DynamoDBStreamRecord; sortKey: string }>()
    const positions = new Map<string, number[]>()
    records.forEach((record, position) => {
      const read = readStreamMessage(record)
      if (!read.ok) return options.onSkip?.(record, read.reason, read.detail)
      const { messageGroupUuid, sortKey } = read.latest
      positions.set(messageGroupUuid, [...(positions.get(messageGroupUuid) ?? []), position])
      const current = newest.get(messageGroupUuid)
      if (!current || compare(sortKey, current.sortKey) > 0) newest.set(messageGroupUuid, { record, sortKey })
    })

    const failed: number[] = []
    await forEachLimited([...newest], concurrency, async ([messageGroupUuid, { record }]) => {
      try {
        await syncGroupRows(
          store,
          messageGroupUuid,
          (rows) => {
            const outcome = applyStreamRecord(record, rows)
            return outcome.kind === 'write' ? outcome.plan : NOTHING
          },
          options
        )
      } catch (error) {
        options.onError?.(error, messageGroupUuid)
        failed.push(...(positions.get(messageGroupUuid) ?? []))
      }
    })

    return {
      batchItemFailures: failed
        .sort((a, b) => bySequenceNumber(records[a], records[b]) || a - b)
        .map((position) => ({ itemIdentifier: records[position]?.dynamodb?.SequenceNumber ?? '' }))
    }
  }
}

/** Sequence numbers are decimal strings of up to 40 digits: compare by length, then as text. */
function bySequenceNumber(a: DynamoDBStreamRecord | undefined, b: DynamoDBStreamRecord | undefined): number {
  const left = a?.dynamodb?.SequenceNumber ?? ''
  const right = b?.dynamodb?.SequenceNumber ?? ''
  return left.length - right.length || compare(left, right)
}

async function forEachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await run(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
