// The cache of the API server: Redis (REDIS_URL), Momento (MOMENTO_API_KEY), or this process's memory (`npm start`).
// The stream Lambda (or the local stream worker) must be given the same one, so that Pattern D refreshes the lists.
import { memoryCache, momentoCache, redisCache, type MessagingCache } from 'dynamo-messaging/cache'
import type { RedisConfig, RedisConnections } from './redis.js'

/** Which cache the environment asks for. */
export type CacheConfig = { kind: 'redis'; redis: RedisConfig } | { kind: 'momento' } | { kind: 'memory' }

/** An open cache and how to let go of its connection. */
export interface OpenCache {
  cache: MessagingCache
  /** For the start-up line, without credentials. */
  description: string
  close(): Promise<void> | void
}

/**
 * Opens the configured cache: Redis through `redis` (the server's connections, which it closes), Momento with a
 * client of its own, loaded only when asked for (ioredis and @gomomento/sdk are optional peers of dynamo-messaging).
 * Momento: `MOMENTO_CACHE_NAME` (default `cruddur`) and `MOMENTO_TTL_SECONDS` (600) are read by momentoCache itself;
 * a v2 API key also needs `MOMENTO_ENDPOINT`.
 */
export async function openCache(config: CacheConfig, redis?: RedisConnections, env: NodeJS.ProcessEnv = process.env): Promise<OpenCache> {
  if (config.kind === 'memory') return { cache: memoryCache(), description: 'in memory (memoryCache)', close: () => {} }
  if (config.kind === 'redis') {
    if (!redis) throw new Error('openCache: a Redis cache needs the server\'s Redis connections')
    // A Redis outage is reported per request through onCacheError, and served from DynamoDB.
    return { cache: redisCache({ client: redis.client }), description: redis.description, close: () => {} }
  }
  const { CacheClient, Configurations, CredentialProvider, ReadConcern } = await import('@gomomento/sdk')
  const client = new CacheClient({
    // Reads must see completed writes (a replaced version): Momento's default read concern does not promise it.
    configuration: Configurations.InRegion.Default.latest().withReadConcern(ReadConcern.CONSISTENT),
    credentialProvider: env.MOMENTO_ENDPOINT ? CredentialProvider.fromEnvVarV2() : CredentialProvider.fromEnvVar('MOMENTO_API_KEY'),
    defaultTtlSeconds: 600
  })
  return {
    cache: momentoCache({ client }),
    description: `Momento cache ${env.MOMENTO_CACHE_NAME || 'cruddur'}`,
    close: () => client.close()
  }
}
