/**
 * The key-value store the cache of {@link createMessaging} and {@link createStreamHandler} needs: three calls, strings
 * only. `redisCache`, `momentoCache` and `memoryCache` (from `dynamo-messaging/cache`) implement it; implement it
 * yourself for another store.
 *
 * The contract:
 * - Every key and value is a string. The keys of one call share one Redis Cluster hash slot (they carry the same
 *   `{…}` hash tag), so a cluster can answer each call from one node.
 * - Every key you store expires: give each one the same TTL (600 s by default in the adapters), and put your prefix
 *   on every key if the store is shared.
 * - A read after a completed write of the same key returns that write or a newer one (what a single Redis primary or
 *   Momento gives; do not read from lagging replicas).
 * - Failing is fine: throw, reject or never answer. The library bounds every call by a timeout, reads DynamoDB instead
 *   and reports the failure through `onCacheError`; it never fails a read or a write because of the cache.
 *
 * @example
 * ```ts
 * // A cache in a Map, without expiry (use memoryCache() instead; this shows the contract).
 * const map = new Map<string, string>()
 * const mapCache: MessagingCache = {
 *   async getMany(keys) {
 *     return keys.map((key) => map.get(key))
 *   },
 *   async setMany(entries) {
 *     for (const { key, value } of entries) map.set(key, value)
 *   },
 *   async setIfAbsent(key, value) {
 *     if (!map.has(key)) map.set(key, value)
 *     return map.get(key)!
 *   }
 * }
 * const messaging = createMessaging({ client, tableName: 'cruddur-messages', cache: mapCache })
 * ```
 */
export interface MessagingCache {
  /** The value of each key, in order; `undefined` (or `null`) for a key that is absent or expired. */
  getMany(keys: readonly string[]): Promise<ReadonlyArray<string | undefined | null>>
  /** Stores every entry, each with the cache's TTL. */
  setMany(entries: ReadonlyArray<{ readonly key: string; readonly value: string }>): Promise<void>
  /** Stores `value` with the cache's TTL unless the key holds a value already; returns the value the key holds now. */
  setIfAbsent(key: string, value: string): Promise<string>
}

/**
 * What the library was doing when a cache call failed, as told to `onCacheError`:
 * - `read`: looking a page, a conversation's members or a scope's version up; DynamoDB was read instead.
 * - `fill`: storing what was read from DynamoDB; the answer was served, just not cached.
 * - `invalidate`: marking pages stale after a write. The write itself succeeded, but pages it changed may be served
 *   from the cache until their TTL runs out (600 s by default).
 *
 * @example
 * ```ts
 * const onCacheError = (error: unknown, operation: CacheOperation) => {
 *   if (operation === 'invalidate') metrics.increment('cache.invalidate.failed') // stale pages for up to the TTL
 * }
 * ```
 */
export type CacheOperation = 'read' | 'fill' | 'invalidate'

/**
 * One cache lookup, as told to `onCacheRead` of {@link createMessaging}: for metrics, or to watch the cache work.
 *
 * @example
 * ```ts
 * const onCacheRead = (event: CacheReadEvent) =>
 *   metrics.increment(event.hit ? 'cache.hit' : 'cache.miss', { kind: event.kind })
 * ```
 */
export interface CacheReadEvent {
  /** `A` a page of a conversation's messages, `B` a page of a user's conversations, `members` a conversation's members. */
  kind: 'A' | 'B' | 'members'
  /** The conversation (`A`, `members`) or the user (`B`). */
  uuid: string
  /** Whether the cache answered; on a miss DynamoDB was read. */
  hit: boolean
}

/**
 * The cache options of {@link createMessaging}, {@link createStreamHandler} and `startLocalStreamWorker`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { redisCache } from 'dynamo-messaging/cache'
 *
 * const cache = redisCache({ client: new Redis(process.env.REDIS_URL!) })
 * const options: CacheOptions = {
 *   cache,
 *   cacheTimeoutMs: 100,
 *   onCacheError: (error, operation) => logger.warn({ err: error, operation }, 'cache unavailable, read DynamoDB')
 * }
 * const messaging = createMessaging({ client, tableName: 'cruddur-messages', ...options })
 * ```
 */
export interface CacheOptions {
  /**
   * Where pages and members are cached (see `dynamo-messaging/cache`). Without one, every read goes to DynamoDB as
   * before, with no extra request and the same (eventually consistent) reads. With one, the reads that fill it are
   * strongly consistent, and every write marks the pages it changes stale before it returns.
   */
  cache?: MessagingCache
  /** How long one cache call may take before DynamoDB is read instead, in milliseconds: 1 to 60 000. Default 150. */
  cacheTimeoutMs?: number
  /**
   * Told of each cache call that failed or timed out (see {@link CacheOperation}); the read or write it was part of
   * went on without the cache. Default: `console.warn`, at most once a minute per operation, with a count. An
   * exception it throws is ignored.
   */
  onCacheError?: (error: unknown, operation: CacheOperation, keys: readonly string[]) => void
}
