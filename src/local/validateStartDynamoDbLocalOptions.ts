import { Validator } from '../validation/validate.js'
import type { StartDynamoDbLocalOptions } from './startDynamoDbLocal.js'

/**
 * Checks the options of {@link startDynamoDbLocal} before any process starts.
 * @throws {@link ValidationError} for a bad `port` (1 to 65535) or `timeoutMs` (1 to 600 000), or a `dbPath` that is
 * not a non-empty string.
 */
export function validateStartDynamoDbLocalOptions(options: StartDynamoDbLocalOptions): void {
  const check = new Validator()
  const fields = check.object('options', options)
  check.integer('port', fields.port, { min: 1, max: 65_535 })
  check.integer('timeoutMs', fields.timeoutMs, { min: 1, max: 600_000 })
  if (fields.dbPath !== undefined && (typeof fields.dbPath !== 'string' || fields.dbPath.trim() === '')) {
    check.invalid('dbPath', 'must be the path of an existing directory')
  }
  check.done()
}
