import { Validator } from '../validation/validate.js'
import type { MessagingCache } from './MessagingCache.js'
import { checkClient, checkPrefix, checkTtlSeconds } from './validateAdapterOptions.js'

/**
 * The part of an `ioredis` `Redis` or `Cluster` client that {@link redisCache} uses; pass the client itself. Declared
 * here so that this package's types do not need `ioredis` installed.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const client: RedisClientLike = new Redis(process.env.REDIS_URL!)
 * ```
 */
export interface RedisClientLike {
  /** ioredis's connection state: `ready` when connected, `reconnecting` while the server is away. */
  readonly status: string
  /** `MGET`. */
  mget(keys: string[]): Promise<Array<string | null>>
  /** `MULTI` … `EXEC`, sent in one round trip. */
  multi(): RedisTransactionLike
}

/**
 * The commands {@link redisCache} queues in a `MULTI` (ioredis's `ChainableCommander`).
 *
 * @example
 * ```ts
 * const results = await client.multi().set('k', 'v', 'EX', 600, 'NX').get('k').exec()
 * ```
 */
export interface RedisTransactionLike {
  /** `SET key value EX seconds`. */
  set(key: string, value: string, secondsToken: 'EX', seconds: number): RedisTransactionLike
  /** `SET key value EX seconds NX`. */
  set(key: string, value: string, secondsToken: 'EX', seconds: number, nx: 'NX'): RedisTransactionLike
  /** `GET key`. */
  get(key: string): RedisTransactionLike
  /** Sends the transaction: one `[error, result]` per command, or `null` when it was discarded. */
  exec(): Promise<Array<[error: Error | null, result: unknown]> | null>
}

/**
 * Options of {@link redisCache}.
 *
 * @example
 * ```ts
 * const cache = redisCache({ client: new Redis(process.env.REDIS_URL!), prefix: 'chat:', ttlSeconds: 600 })
 * ```
 */
export interface RedisCacheOptions {
  /** An ioredis `Redis` or `Cluster` client (Redis 6+, Valkey 7+, ElastiCache including Serverless). */
  client: RedisClientLike
  /** Put before every key: up to 128 characters, no `{` or `}`. Default `dm:`. */
  prefix?: string
  /** Seconds every key lives: 1 to 2 592 000 (30 days). Default 600. */
  ttlSeconds?: number
}

const DISCONNECTED = new Set(['reconnecting', 'close', 'end'])

/**
 * A {@link MessagingCache} on Redis or Valkey through your `ioredis` client (an optional peer dependency: this package
 * never imports it). Reads are one `MGET`; writes one `MULTI` of `SET … EX`; every key gets the prefix and the TTL.
 * All keys of one call share a hash tag, so it works with Redis Cluster and ElastiCache Serverless (cluster mode).
 * Read from primaries: replicas may lag a write that marked pages stale.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createMessaging } from 'dynamo-messaging'
 * import { redisCache } from 'dynamo-messaging/cache'
 *
 * const cache = redisCache({ client: new Redis(process.env.REDIS_URL!) })
 * const messaging = createMessaging({ client, tableName: 'cruddur-messages', cache })
 * // and the same cache for the stream handler, which marks conversation lists stale:
 * export const handler = createStreamHandler({ client, tableName: 'cruddur-messages', cache })
 * ```
 */
export function redisCache(options: RedisCacheOptions): MessagingCache {
  const check = new Validator()
  const fields = check.object('options', options)
  const client = checkClient<RedisClientLike>(check, fields.client, ['mget', 'multi'], 'an ioredis Redis or Cluster client')
  const prefix = checkPrefix(check, fields.prefix)
  const ttlSeconds = checkTtlSeconds(check, 'ttlSeconds', fields.ttlSeconds)
  check.done()
  // Once a connection was lost, a command would wait in ioredis's offline queue while it reconnects: fail at once
  // instead, so reads go straight to DynamoDB during an outage rather than waiting out the library's timeout. Before
  // the first connection, a command waits for it (bounded by that timeout).
  let wasReady = false
  const connected = () => {
    const { status } = client
    if (status === 'ready') wasReady = true
    else if (wasReady || DISCONNECTED.has(status)) throw new Error(`Redis is not connected (ioredis status ${status})`)
  }
  return {
    async getMany(keys) {
      connected()
      return client.mget(keys.map((key) => prefix + key))
    },
    async setMany(entries) {
      connected()
      const transaction = client.multi()
      for (const { key, value } of entries) transaction.set(prefix + key, value, 'EX', ttlSeconds)
      resultsOf(await transaction.exec())
    },
    async setIfAbsent(key, value) {
      connected()
      const results = resultsOf(await client.multi().set(prefix + key, value, 'EX', ttlSeconds, 'NX').get(prefix + key).exec())
      const stored = results[1]
      if (typeof stored !== 'string') throw new Error('Redis lost a key it had just set')
      return stored
    }
  }
}

function resultsOf(replies: Array<[error: Error | null, result: unknown]> | null): unknown[] {
  if (!replies) throw new Error('Redis discarded the transaction')
  return replies.map(([error, result]) => {
    if (error) throw error
    return result
  })
}
