import { decodeCursor, encodeCursor, type CursorScope } from './cursor.js'
import type { Page } from '../types.js'

/**
 * The cursor handling both list patterns share: decodes the caller's cursor at once (a `ValidationError` if it
 * belongs to another query, before anything is read), gives the query its start key, and `close` encodes where the
 * next page starts.
 */
export function openPage(scope: CursorScope, cursor: unknown) {
  const startSk = cursor === undefined ? undefined : decodeCursor(scope, cursor)
  return {
    /** The sort key this page starts after, if it is not the first. */
    startSk,
    /** DynamoDB's `ExclusiveStartKey` for this page, if it is not the first. */
    exclusiveStartKey: startSk === undefined ? undefined : { pk: scope.pk, sk: startSk },
    /** The page of `items`, with a cursor for the next one when DynamoDB says there may be more. */
    close<T>(items: T[], lastEvaluatedKey: Record<string, unknown> | undefined): Page<T> {
      const lastSk = lastEvaluatedKey?.sk
      return { items, ...(typeof lastSk === 'string' && { cursor: encodeCursor(scope, lastSk) }) }
    }
  }
}
