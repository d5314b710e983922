/**
 * Caches for Patterns A and B, and for conversations' members: Redis or Valkey (`redisCache`), Momento
 * (`momentoCache`) or this process's memory (`memoryCache`), or your own {@link MessagingCache}. Give the same cache to
 * `createMessaging` and to the stream handler: reads go through it, and every write marks the pages it changes
 * stale before it returns, so no read that starts after a write completed sees a page older than that write. See
 * docs/caching.md for the protocol, its proof sketch, failure behaviour and costs.
 *
 * `ioredis` and `@gomomento/sdk` are optional peer dependencies that this module never imports: the adapters take
 * your client.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { Redis } from 'ioredis'
 * import { createMessaging } from 'dynamo-messaging'
 * import { redisCache } from 'dynamo-messaging/cache'
 *
 * const cache = redisCache({ client: new Redis(process.env.REDIS_URL!) })
 * const messaging = createMessaging({ client: new DynamoDBClient({}), tableName: 'cruddur-messages', cache })
 * ```
 *
 * @module dynamo-messaging/cache
 */
export { memoryCache } from './memoryCache.js'
export type { MemoryCacheOptions } from './memoryCache.js'
export { redisCache } from './redisCache.js'
export type { RedisCacheOptions, RedisClientLike, RedisTransactionLike } from './redisCache.js'
export { momentoCache } from './momentoCache.js'
export type { MomentoCacheOptions, MomentoClientLike, MomentoResponseLike } from './momentoCache.js'
export { invalidateCache } from './invalidateCache.js'
export type { InvalidateCacheOptions } from './invalidateCache.js'
export type { MessagingCache, CacheOperation, CacheOptions, CacheReadEvent } from './MessagingCache.js'
export { DEFAULT_CACHE_TIMEOUT_MS } from './guardCache.js'
export { DEFAULT_TTL_SECONDS, DEFAULT_PREFIX } from './validateAdapterOptions.js'
