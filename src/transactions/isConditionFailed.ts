/**
 * Whether a single write was refused by its condition (`ConditionalCheckFailedException`), by name, so that it holds
 * whichever copy of the SDK threw it. A cancelled transaction is read with `readCancellation` instead.
 */
export const isConditionFailed = (error: unknown): boolean =>
  (error as { name?: unknown } | null | undefined)?.name === 'ConditionalCheckFailedException'
