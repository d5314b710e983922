import type { Validator } from '../validation/validate.js'
import { ROW_MOVES } from '../rowMove/rowMove.js'
import type { SyncOptions } from './syncGroupRows.js'

/**
 * Checks Pattern D's retry options (of `updateMessageGroups` and `createStreamHandler`) into `check`: `maxAttempts`
 * 1 to 20, `baseDelayMs` 0 to 60 000, `rowMove` `'transaction'` or
 * `'ordered'`, `unreadCounts` a boolean; `undefined` keeps the documented default.
 */
export function validateSyncOptions(check: Validator, fields: Record<string, unknown>): SyncOptions {
  const maxAttempts = check.integer('maxAttempts', fields.maxAttempts, { min: 1, max: 20 })
  const baseDelayMs = check.integer('baseDelayMs', fields.baseDelayMs, { min: 0, max: 60_000 })
  const rowMove = check.oneOf('rowMove', fields.rowMove, ROW_MOVES)
  const unreadCounts = check.boolean('unreadCounts', fields.unreadCounts)
  return {
    ...(maxAttempts !== undefined && { maxAttempts }),
    ...(baseDelayMs !== undefined && { baseDelayMs }),
    ...(rowMove !== undefined && { rowMove }),
    ...(unreadCounts !== undefined && { unreadCounts })
  }
}
