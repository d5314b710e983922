import { marshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBStreamBatch, DynamoDBStreamRecord, Message, StreamHandler } from '../../src/index.js'
import { messagePk } from '../../src/index.js'

/** The INSERT record DynamoDB Streams delivers for a message row (NEW_IMAGE), as Lambda hands it to a function. */
export function insertRecordOf(message: Message, sequenceNumber: number): DynamoDBStreamRecord {
  const item = {
    pk: messagePk(message.messageGroupUuid),
    sk: message.sortKey,
    message_uuid: message.uuid,
    message: message.message,
    user_uuid: message.userUuid,
    user_display_name: message.displayName,
    user_handle: message.handle
  }
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      NewImage: marshall(item) as never,
      SequenceNumber: String(sequenceNumber).padStart(21, '0'),
      StreamViewType: 'NEW_IMAGE'
    }
  }
}

/**
 * Delivers a batch as Lambda's event source mapping does with ReportBatchItemFailures: after a partial failure, or an
 * invocation that died, it delivers again from the lowest failed record (later ones included) until none fail.
 * Returns how many invocations it took.
 */
export async function deliverLikeLambda(
  handler: StreamHandler,
  records: DynamoDBStreamRecord[],
  invoke: (batch: DynamoDBStreamBatch) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }> = handler,
  maxInvocations = 20
): Promise<number> {
  let pending = records
  for (let invocation = 1; invocation <= maxInvocations; invocation++) {
    let failures: { itemIdentifier: string }[]
    try {
      failures = (await invoke({ Records: pending })).batchItemFailures
    } catch {
      continue // the invocation died: Lambda retries the whole batch
    }
    if (failures.length === 0) return invocation
    const from = pending.findIndex((record) => record.dynamodb?.SequenceNumber === failures[0]!.itemIdentifier)
    if (from < 0) throw new Error(`reported an unknown sequence number ${failures[0]!.itemIdentifier}`)
    pending = pending.slice(from)
  }
  throw new Error(`still failing after ${maxInvocations} invocations`)
}
