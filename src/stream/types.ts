/**
 * The DynamoDB Streams shapes this library reads, structurally compatible with `aws-lambda`'s `DynamoDBRecord` and
 * `DynamoDBStreamEvent` (pass those straight in) without making `@types/aws-lambda` a dependency.
 */

/**
 * A marshalled attribute value; only `S` is read.
 *
 * @example
 * ```ts
 * const text: StreamAttributeValue = { S: 'Hi Bob!' }
 * ```
 */
export interface StreamAttributeValue {
  /** A string value. */
  S?: string
}

/**
 * One record of a DynamoDB stream, as Lambda delivers it.
 *
 * @example
 * ```ts
 * const record: DynamoDBStreamRecord = {
 *   eventName: 'INSERT',
 *   dynamodb: {
 *     SequenceNumber: '100000000000000000001',
 *     NewImage: {
 *       pk: { S: 'MSG#0b1c5d9e-3f4a-5b6c-8d7e-9f0a1b2c3d4e' },
 *       sk: { S: '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF' },
 *       message: { S: 'Hi Bob!' }
 *     }
 *   }
 * }
 * ```
 */
export interface DynamoDBStreamRecord {
  /** A unique id of the record. */
  eventID?: string
  /** `INSERT`, `MODIFY` or `REMOVE`; only an `INSERT` of a message moves conversations. */
  eventName?: string
  /** `aws:dynamodb`. */
  eventSource?: string
  /** The ARN of the stream. */
  eventSourceARN?: string
  /** `{ type: 'Service', principalId: 'dynamodb.amazonaws.com' }` on a deletion by TTL. */
  userIdentity?: unknown
  /** The change itself. */
  dynamodb?: {
    /** The item's key attributes. */
    Keys?: Record<string, StreamAttributeValue>
    /** The item after the change: the new message (the table's stream must be `NEW_IMAGE`). */
    NewImage?: Record<string, StreamAttributeValue>
    /** The item before the change (`OLD_IMAGE` or `NEW_AND_OLD_IMAGES` streams only). */
    OldImage?: Record<string, StreamAttributeValue>
    /** The record's position in its shard: the `itemIdentifier` reported back on failure. */
    SequenceNumber?: string
    /** The stream's view type, e.g. `NEW_IMAGE`. */
    StreamViewType?: string
  }
}

/**
 * A Lambda event from a DynamoDB stream.
 *
 * @example
 * ```ts
 * const response = await handler({ Records: [record] } satisfies DynamoDBStreamBatch)
 * ```
 */
export interface DynamoDBStreamBatch {
  /** The batch's records, in stream order within each shard. */
  Records: DynamoDBStreamRecord[]
}

/**
 * What Lambda's `ReportBatchItemFailures` expects back. An empty list means every record succeeded.
 *
 * @example
 * ```ts
 * const { batchItemFailures }: StreamBatchResponse = await handler(event)
 * if (batchItemFailures.length > 0) console.warn('Lambda retries from', batchItemFailures[0]?.itemIdentifier)
 * ```
 */
export interface StreamBatchResponse {
  /** The records to deliver again, by `SequenceNumber`; Lambda retries from the first. */
  batchItemFailures: Array<{ itemIdentifier: string }>
}
