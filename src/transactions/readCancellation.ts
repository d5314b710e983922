/**
 * Why DynamoDB cancelled a `TransactWriteItems`, read from the `CancellationReasons` it returns (one per item, in the
 * order of the request).
 */
export interface Cancellation {
  /** Positions of the items whose condition failed. */
  conditionFailed: number[]
  /** Another transaction or write was using one of the items (`TransactionConflict`); the same request may succeed later. */
  conflict: boolean
  /** DynamoDB throttled an item (`ThrottlingError`, or `ProvisionedThroughputExceeded`); the same request may succeed later. */
  throttled: boolean
  /**
   * Per position, the item as it was when its condition failed, for items written with
   * `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'` (marshalled as DynamoDB returns it); `undefined` otherwise.
   */
  oldItems: Array<Record<string, unknown> | undefined>
}

/**
 * The reasons of a cancelled transaction, or `undefined` when `error` is not a `TransactionCanceledException`. The
 * one place that reads them: the SDK does not retry a cancellation, whatever its reasons, so callers decide.
 */
export function readCancellation(error: unknown): Cancellation | undefined {
  if (typeof error !== 'object' || error === null || (error as { name?: unknown }).name !== 'TransactionCanceledException') {
    return undefined
  }
  const reasons = (error as { CancellationReasons?: unknown }).CancellationReasons
  const list = Array.isArray(reasons) ? (reasons as unknown[]) : []
  const codes = list.map((reason) => (reason as { Code?: unknown } | undefined)?.Code)
  return {
    conditionFailed: codes.flatMap((code, position) => (code === 'ConditionalCheckFailed' ? [position] : [])),
    conflict: codes.includes('TransactionConflict'),
    throttled: codes.some((code) => code === 'ThrottlingError' || code === 'ProvisionedThroughputExceeded'),
    oldItems: list.map((reason) => {
      const item = (reason as { Item?: unknown } | null | undefined)?.Item
      return typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : undefined
    })
  }
}
