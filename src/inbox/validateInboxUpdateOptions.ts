import type { Validator } from '../validation/validate.js'
import type { InboxUpdateOptions } from './updateInbox.js'

/**
 * Checks Pattern D's retry options (of `updateMessageGroups` and `createStreamHandler`) into `check`: `maxAttempts`
 * 1 to 20, `baseDelayMs` 0 to 60 000; `undefined` keeps the documented default.
 */
export function validateInboxUpdateOptions(check: Validator, fields: Record<string, unknown>): InboxUpdateOptions {
  const maxAttempts = check.integer('maxAttempts', fields.maxAttempts, { min: 1, max: 20 })
  const baseDelayMs = check.integer('baseDelayMs', fields.baseDelayMs, { min: 0, max: 60_000 })
  return { ...(maxAttempts !== undefined && { maxAttempts }), ...(baseDelayMs !== undefined && { baseDelayMs }) }
}
