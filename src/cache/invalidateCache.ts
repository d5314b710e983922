import { DEFAULT_TABLE_NAME } from '../table/tableDefinition.js'
import { Validator } from '../validation/validate.js'
import { createCacheLayer } from './createCacheLayer.js'
import { invalidate } from './invalidate.js'
import type { CacheOptions, MessagingCache } from './MessagingCache.js'
import { validateCacheOptions } from './validateCacheOptions.js'

/**
 * Options of {@link invalidateCache}: the cache, the table, and what changed.
 *
 * @example
 * ```ts
 * const options: InvalidateCacheOptions = { cache, tableName: 'cruddur-messages', users: [alice.uuid] }
 * ```
 */
export interface InvalidateCacheOptions extends CacheOptions {
  /** The cache the readers share. */
  cache: MessagingCache
  /** Default `cruddur-messages`. */
  tableName?: string
  /** Conversations whose messages your code wrote: their Pattern A pages are refreshed. */
  conversations?: readonly string[]
  /** Conversations whose membership items your code wrote: cached membership checks are refreshed. */
  memberships?: readonly string[]
  /** Users whose conversation rows your code wrote: their Pattern B pages are refreshed. */
  users?: readonly string[]
}

/**
 * Marks cached pages stale after a write made by code other than this library (a migration, a repair script, the
 * bootcamp's own functions): every writer of the table must do this, after its write and before it reports done, or
 * readers may see the old page until its TTL. The library's own writes (`createMessage`, `createMessageGroup`,
 * `updateMessageGroups`, the stream handler) do it already. Never throws for a cache failure: it is reported through
 * `onCacheError` (default `console.warn`).
 *
 * @example
 * ```ts
 * import { invalidateCache } from 'dynamo-messaging/cache'
 *
 * await myOwnRowRepair(alice.uuid) // wrote GRP#<alice> rows directly
 * await invalidateCache({ cache, tableName: 'cruddur-messages', users: [alice.uuid] })
 * ```
 */
export async function invalidateCache(options: InvalidateCacheOptions): Promise<void> {
  const check = new Validator()
  const fields = check.object('options', options)
  const cacheOptions = validateCacheOptions(check, fields)
  if (fields.cache === undefined) check.fail('cache', 'cache_missing', 'must be the MessagingCache the readers share')
  const tableName = check.tableName('tableName', fields.tableName) ?? DEFAULT_TABLE_NAME
  const uuids = (path: string) => {
    const value = fields[path]
    if (value === undefined) return []
    if (!Array.isArray(value)) {
      check.invalid(path, 'must be an array of uuids')
      return []
    }
    return value.map((uuid, index) => check.uuid(`${path}.${index}`, uuid))
  }
  const conversations = uuids('conversations')
  const memberships = uuids('memberships')
  const users = uuids('users')
  check.done()
  await invalidate({ cache: createCacheLayer(tableName, { ...cacheOptions, cache: cacheOptions.cache! }) }, { conversations, memberships, users })
}
