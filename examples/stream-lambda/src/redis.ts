// ElastiCache Serverless (Valkey or Redis OSS) for the stream Lambda: cluster mode, TLS with `rediss://`. One
// connection, created at cold start and reused by every invocation, serves both the cache the API reads through and
// the channel the API servers listen to for live events.
import { Cluster } from 'ioredis'
import { redisCache } from 'dynamo-messaging/cache'
import { redisEventPublisher } from 'dynamo-messaging/events'

export function connectRedis(url: string) {
  const { hostname, port, protocol } = new URL(url)
  const client = new Cluster([{ host: hostname, port: Number(port || 6379) }], {
    // AWS's advice for TLS to ElastiCache: connect to the nodes by the host names the certificate names.
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: { maxRetriesPerRequest: 1, ...(protocol === 'rediss:' && { tls: {} }) }
  })
  client.on('error', () => {}) // an outage is reported per call below; Pattern D carries on without the cache
  return {
    cache: redisCache({ client }),
    onCacheError: (error: unknown, operation: string) => console.warn('cache', operation, 'failed; lists may be stale until their TTL', error),
    // Best effort: a lost event never fails the batch (pages reload what they show when they reconnect).
    publish: redisEventPublisher({ client, onError: (error) => console.warn('live event not published', error) })
  }
}
