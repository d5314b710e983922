import type { ClientOptions } from '../context.js'
import type { Validator } from './validate.js'

/**
 * The `client` and `tableName` every function that talks to the table takes: a client is required and must be an SDK
 * client; a table name, when given, must be a valid DynamoDB table name. Problems go to `check`.
 */
export function validateClientOptions(check: Validator, fields: Record<string, unknown>): ClientOptions {
  const client = check.client('client', fields.client)
  const tableName = check.tableName('tableName', fields.tableName)
  // `client` is undefined only when `check` holds an issue, which the caller's `check.done()` throws.
  return { client: client!, ...(tableName !== undefined && { tableName }) }
}
