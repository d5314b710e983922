import { validateClientOptions } from '../validation/validateClientOptions.js'
import { validateCacheOptions } from '../cache/validateCacheOptions.js'
import { Validator } from '../validation/validate.js'
import type { LocalStreamWorkerOptions } from './startLocalStreamWorker.js'

/**
 * Checks every option of {@link startLocalStreamWorker} before it reads anything.
 * @throws {@link ValidationError} listing each bad option (`poll_interval_ms_invalid`, `handler_invalid`, …), and
 *   `on_applied_invalid` for `onApplied` given with a `handler` of one's own.
 */
export function validateLocalStreamWorkerOptions(options: LocalStreamWorkerOptions): void {
  const check = new Validator()
  const fields = check.object('options', options)
  validateClientOptions(check, fields)
  check.callback('handler', fields.handler)
  const onApplied = check.callback('onApplied', fields.onApplied)
  // Silently unused next to a handler of one's own: the handler decides what happens after a conversation is applied.
  if (onApplied && fields.handler !== undefined) {
    check.fail('onApplied', 'on_applied_invalid', 'give onApplied to the createStreamHandler you pass as handler, not to the worker')
  }
  check.integer('pollIntervalMs', fields.pollIntervalMs, { min: 1, max: 60_000 })
  check.oneOf('startingPosition', fields.startingPosition, ['TRIM_HORIZON', 'LATEST'])
  check.callback('onError', fields.onError)
  validateCacheOptions(check, fields)
  // The cache options configure the default handler; a handler of your own has its own.
  if (fields.handler !== undefined && fields.cache !== undefined) {
    check.invalid('cache', 'configures the default handler only: give it to the createStreamHandler you pass as `handler`')
  }
  check.done()
}
