/**
 * The DynamoDB Streams shapes this library reads, structurally compatible with `aws-lambda`'s `DynamoDBRecord` and
 * `DynamoDBStreamEvent` (pass those straight in) without making `@types/aws-lambda` a dependency.
 */

/** A marshalled attribute value; only `S` is read. */
export interface StreamAttributeValue {
  S?: string
}

/** One record of a DynamoDB stream, as Lambda delivers it. */
export interface DynamoDBStreamRecord {
  eventID?: string
  eventName?: string
  eventSource?: string
  eventSourceARN?: string
  userIdentity?: unknown
  dynamodb?: {
    Keys?: Record<string, StreamAttributeValue>
    NewImage?: Record<string, StreamAttributeValue>
    OldImage?: Record<string, StreamAttributeValue>
    SequenceNumber?: string
    StreamViewType?: string
  }
}

/** A Lambda event from a DynamoDB stream. */
export interface DynamoDBStreamBatch {
  Records: DynamoDBStreamRecord[]
}

/** What Lambda's `ReportBatchItemFailures` expects back. An empty list means every record succeeded. */
export interface StreamBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>
}
