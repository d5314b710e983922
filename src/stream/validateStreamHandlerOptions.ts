import { validateInboxUpdateOptions } from '../inbox/validateInboxUpdateOptions.js'
import { validateClientOptions } from '../validation/validateClientOptions.js'
import { validateCacheOptions } from '../cache/validateCacheOptions.js'
import { Validator } from '../validation/validate.js'
import type { StreamHandlerOptions } from './createStreamHandler.js'

/** Conversations a stream handler updates at the same time when `concurrency` is not given. */
const DEFAULT_CONCURRENCY = 8

/**
 * Checks every option of {@link createStreamHandler} at once and returns the concurrency to use.
 * @throws {@link ValidationError} listing each bad option (`concurrency_invalid`, `client_invalid`, …).
 */
export function validateStreamHandlerOptions(options: StreamHandlerOptions): { concurrency: number } {
  const check = new Validator()
  const fields = check.object('options', options)
  validateClientOptions(check, fields)
  validateInboxUpdateOptions(check, fields)
  validateCacheOptions(check, fields)
  const concurrency = check.integer('concurrency', fields.concurrency, { min: 1, max: 1000 })
  check.callback('onSkip', fields.onSkip)
  check.callback('onError', fields.onError)
  check.callback('onApplied', fields.onApplied)
  check.done()
  return { concurrency: concurrency ?? DEFAULT_CONCURRENCY }
}
