import type { BatchWriteCommandInput, BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb'
import { CliError } from '../errors.js'

/** BatchWriteItem's limit of requests per call. */
export const BATCH_SIZE = 25

/** One BatchWriteItem call: a document client's in the CLI, a fake in unit tests. */
export type BatchWriter = (
  requestItems: NonNullable<BatchWriteCommandInput['RequestItems']>
) => Promise<Pick<BatchWriteCommandOutput, 'UnprocessedItems'>>

export interface BatchPutOptions {
  /** Calls in flight at once. Default 4. */
  concurrency?: number
  /** Tries per batch before giving up on its unprocessed items. Default 10. */
  maxAttempts?: number
  /** First back-off, doubled each retry (full jitter), capped at 5 s. Default 50 ms. */
  baseDelayMs?: number
  /** Called with the number of items just written. */
  onWritten?: (count: number) => void
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

export interface BatchPutResult {
  /** BatchWriteItem calls made, retries included. */
  requests: number
  /** Calls that resent `UnprocessedItems`. */
  retries: number
}

/**
 * Puts `items` with BatchWriteItem, 25 a call. DynamoDB may accept part of a batch and hand the rest back as
 * `UnprocessedItems` (throttling, partition limits); those are resent with exponential back-off, where the seeds'
 * batch write dropped them.
 */
export async function batchPut(
  write: BatchWriter,
  tableName: string,
  items: readonly object[],
  options: BatchPutOptions = {}
): Promise<BatchPutResult> {
  const maxAttempts = options.maxAttempts ?? 10
  const baseDelayMs = options.baseDelayMs ?? 50
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const random = options.random ?? Math.random
  const result: BatchPutResult = { requests: 0, retries: 0 }
  const batches: object[][] = []
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE))

  async function writeBatch(batch: object[]): Promise<void> {
    let pending = batch.map((item) => ({ PutRequest: { Item: item as Record<string, unknown> } }))
    for (let attempt = 1; ; attempt++) {
      result.requests++
      const { UnprocessedItems } = await write({ [tableName]: pending })
      const left = (UnprocessedItems?.[tableName] ?? []) as typeof pending
      options.onWritten?.(pending.length - left.length)
      if (left.length === 0) return
      if (attempt >= maxAttempts) {
        throw new CliError(
          `${left.length} items still unprocessed after ${maxAttempts} BatchWriteItem attempts; the table is throttled, try again later`
        )
      }
      result.retries++
      pending = left
      await sleep(random() * Math.min(5_000, baseDelayMs * 2 ** (attempt - 1)))
    }
  }

  let next = 0
  let failed = false
  const worker = async () => {
    try {
      while (next < batches.length && !failed) await writeBatch(batches[next++]!)
    } catch (error) {
      failed = true // the other workers stop after their current batch
      throw error
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, batches.length) }, worker))
  return result
}
