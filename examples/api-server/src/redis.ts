// The server's Redis: one client for commands (the cache's reads and writes, publishing events) and, for live
// events, a second one that only subscribes (a Redis connection in subscriber mode can do nothing else).
import type { Cluster, Redis } from 'ioredis'

/** `REDIS_URL`, and whether it names a cluster (`REDIS_CLUSTER=on`: ElastiCache Serverless, Redis Cluster). */
export interface RedisConfig {
  url: string
  cluster: boolean
}

/** An ioredis client: a single Redis, or a cluster (for ElastiCache Serverless). */
export type RedisClient = Redis | Cluster

/** Open Redis connections and how to let go of them. */
export interface RedisConnections {
  /** Commands: the cache, and publishing events. */
  readonly client: RedisClient
  /** A connection of its own for subscribing, made on first use. */
  subscriber(): RedisClient
  /** The URL without credentials, for the start-up line. */
  readonly description: string
  close(): void
}

/**
 * Connects to `config.url` (ioredis is an optional peer of dynamo-messaging: loaded only when asked for). A cluster
 * client starts from the URL's host and discovers the other nodes; `rediss://` turns TLS on, as ElastiCache
 * Serverless requires, and the host name is kept for the certificate check (`dnsLookup`, as AWS recommends).
 */
export async function connectRedis(config: RedisConfig): Promise<RedisConnections> {
  const { Redis, Cluster } = await import('ioredis')
  const open = (): RedisClient => {
    if (!config.cluster) return new Redis(config.url, { maxRetriesPerRequest: 1 })
    const url = new URL(config.url)
    const tls = url.protocol === 'rediss:'
    return new Cluster([{ host: url.hostname, port: Number(url.port || 6379) }], {
      ...(tls && { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) }),
      redisOptions: {
        maxRetriesPerRequest: 1,
        ...(tls && { tls: {} }),
        ...(url.username && { username: decodeURIComponent(url.username) }),
        ...(url.password && { password: decodeURIComponent(url.password) })
      }
    })
  }
  const opened: RedisClient[] = []
  const track = (client: RedisClient) => {
    client.on('error', () => {}) // an outage is reported per call (cache, publish), not as an unhandled 'error'
    opened.push(client)
    return client
  }
  const client = track(open())
  let subscriber: RedisClient | undefined
  return {
    client,
    subscriber: () => (subscriber ??= track(open())),
    description: `${config.cluster ? 'Redis Cluster' : 'Redis'} ${config.url.replace(/\/\/[^@/]*@/, '//')}`,
    close: () => {
      for (const each of opened) each.disconnect()
    }
  }
}
