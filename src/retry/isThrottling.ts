import { readCancellation } from '../transactions/readCancellation.js'

// DynamoDB's answers for "too many requests right now": the same request may succeed after a pause.
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  // Control plane: too many tables being updated at once (UpdateTable, DescribeTable's neighbours).
  'LimitExceededException'
])

/**
 * Whether `error` is DynamoDB throttling a request (a provisioned table or index over its capacity, an account
 * limit), including a transaction it cancelled for that reason. The SDK retries these a few times itself (3 attempts
 * by default); a long job on a 5/5 table needs more patience than that.
 */
export function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const name = (error as { name?: unknown }).name
  if (typeof name === 'string' && THROTTLING.has(name)) return true
  if ((error as { $retryable?: { throttling?: unknown } }).$retryable?.throttling === true) return true
  return readCancellation(error)?.throttled === true
}
