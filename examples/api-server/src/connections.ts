// What every entry point opens from the configuration, each registered with the shutdown as it opens.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { openCache, type CacheConfig, type OpenCache } from './cache.js'
import { dynamoDbClient, type ApiConfig } from './config.js'
import { connectRedis, type RedisConnections } from './redis.js'
import type { createShutdown } from './shutdown.js'

type Shutdown = ReturnType<typeof createShutdown>

/** The DynamoDB client, the Redis connections (with `REDIS_URL`) and the cache (configured, else `fallback`). */
export interface Connections {
  client: DynamoDBClient
  redis?: RedisConnections
  cache?: OpenCache
}

/** Opens {@link Connections}; `shutdown` closes them, newest first. With a `fallback`, there is always a cache. */
export async function openConnections(config: ApiConfig, shutdown: Shutdown, fallback: CacheConfig): Promise<Connections & { cache: OpenCache }>
export async function openConnections(config: ApiConfig, shutdown: Shutdown): Promise<Connections>
export async function openConnections(config: ApiConfig, shutdown: Shutdown, fallback?: CacheConfig): Promise<Connections> {
  const client = dynamoDbClient(config)
  shutdown.defer(() => client.destroy())
  const redis = config.redis && (await connectRedis(config.redis))
  if (redis) shutdown.defer(redis.close)
  const cacheConfig = config.cache ?? fallback
  const cache = cacheConfig && (await openCache(cacheConfig, redis))
  if (cache) shutdown.defer(cache.close)
  return { client, ...(redis && { redis }), ...(cache && { cache }) }
}
