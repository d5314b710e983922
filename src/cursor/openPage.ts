import { decodeCursor, encodeCursor, type CursorPosition, type CursorScope } from './cursor.js'
import type { Page } from '../types.js'

/**
 * The cursor handling both list patterns share: decodes the caller's cursor at once (a `ValidationError` if it
 * belongs to another query, before anything is read), gives the query its start key, and `close` encodes where the
 * next page starts. Pattern A pages a partition by `sk`; Pattern B pages the `inbox-index` by `last_sk`, whose start
 * key also names the row (`pk`, `sk`).
 */
export function openPage(scope: CursorScope, cursor: unknown) {
  const start: CursorPosition | undefined = cursor === undefined ? undefined : decodeCursor(scope, cursor)
  const indexed = scope.pattern === 'B'
  return {
    /** Where this page starts (the cache keys pages by it), if it is not the first. */
    startSk: start && (indexed ? `${start.sk}|${start.row}` : start.sk),
    /** DynamoDB's `ExclusiveStartKey` for this page, if it is not the first. */
    exclusiveStartKey: start && (indexed ? { pk: scope.pk, sk: start.row, last_sk: start.sk } : { pk: scope.pk, sk: start.sk }),
    /** The page of `items`, with a cursor for the next one when DynamoDB says there may be more. */
    close<T>(items: T[], lastEvaluatedKey: Record<string, unknown> | undefined): Page<T> {
      const sk = lastEvaluatedKey?.[indexed ? 'last_sk' : 'sk']
      const row = lastEvaluatedKey?.sk
      if (typeof sk !== 'string') return { items }
      return { items, cursor: encodeCursor(scope, indexed ? { sk, row: String(row) } : { sk }) }
    }
  }
}
