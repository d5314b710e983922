import { LRUCache } from 'lru-cache'
import { Validator } from '../validation/validate.js'
import type { MessagingCache } from './MessagingCache.js'
import { checkTtlSeconds } from './validateAdapterOptions.js'

/**
 * Options of {@link memoryCache}.
 *
 * @example
 * ```ts
 * const cache = memoryCache({ maxEntries: 50_000, ttlSeconds: 300 })
 * ```
 */
export interface MemoryCacheOptions {
  /** Entries kept before the least recently used go: a whole number from 1 to 10 000 000. Default 10 000. */
  maxEntries?: number
  /** Seconds each entry lives: 1 to 2 592 000 (30 days). Default 600. */
  ttlSeconds?: number
}

/**
 * A cache in this process's memory (an LRU from `lru-cache`, with a TTL on every entry): for a single-process server,
 * local development and tests. Every writer must share it, so it suits a server that also runs Pattern D in the same
 * process (`startLocalStreamWorker` with the same cache, as `npm start` does); with a stream Lambda, use
 * {@link redisCache} or {@link momentoCache}, which the Lambda can reach too.
 *
 * @example
 * ```ts
 * import { createMessaging } from 'dynamo-messaging'
 * import { memoryCache } from 'dynamo-messaging/cache'
 * import { startLocalStreamWorker } from 'dynamo-messaging/local'
 *
 * const cache = memoryCache()
 * const messaging = createMessaging({ client, tableName: 'cruddur-messages', cache })
 * const worker = await startLocalStreamWorker({ client, tableName: 'cruddur-messages', cache })
 * ```
 */
export function memoryCache(options: MemoryCacheOptions = {}): MessagingCache {
  const check = new Validator()
  const fields = check.options('options', options)
  const maxEntries = check.integer('maxEntries', fields.maxEntries, { min: 1, max: 10_000_000 }) ?? 10_000
  const ttlSeconds = checkTtlSeconds(check, 'ttlSeconds', fields.ttlSeconds)
  check.done()
  const entries = new LRUCache<string, string>({ max: maxEntries, ttl: ttlSeconds * 1000 })
  return {
    async getMany(keys) {
      return keys.map((key) => entries.get(key))
    },
    async setMany(items) {
      for (const { key, value } of items) entries.set(key, value)
    },
    async setIfAbsent(key, value) {
      const stored = entries.get(key)
      if (stored !== undefined) return stored
      entries.set(key, value)
      return value
    }
  }
}
