import type { AppliedConversation } from '../stream/index.js'
import { Validator } from '../validation/validate.js'
import { encodeAppliedConversation } from './appliedConversationJson.js'
import { checkChannel, DEFAULT_EVENTS_CHANNEL } from './eventsChannel.js'
import { warnEventError } from './warnEventError.js'

/**
 * The part of an `ioredis` `Redis` or `Cluster` client that {@link redisEventPublisher} uses; pass the client itself
 * (it may be the one your cache uses). Declared here so that this package's types do not need `ioredis` installed.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const client: RedisPublisherLike = new Redis(process.env.REDIS_URL!)
 * ```
 */
export interface RedisPublisherLike {
  /** ioredis's connection state: `ready` when connected, `reconnecting` while the server is away. */
  readonly status: string
  /** `PUBLISH channel message`: resolves to the number of subscribers that received it. */
  publish(channel: string, message: string): Promise<number>
}

/**
 * Options of {@link redisEventPublisher}.
 *
 * @example
 * ```ts
 * const options: RedisEventPublisherOptions = { client: redis, timeoutMs: 500, onError: (error) => log.warn(error) }
 * ```
 */
export interface RedisEventPublisherOptions {
  /** An ioredis `Redis` or `Cluster` client (Redis 6+, Valkey 7+, ElastiCache including Serverless). */
  client: RedisPublisherLike
  /** The channel; default {@link DEFAULT_EVENTS_CHANNEL}. Subscribers must listen to the same one. */
  channel?: string
  /** Longest wait for Redis to take one event, in ms: 1 to 60 000. Default 1000. */
  timeoutMs?: number
  /**
   * Told when an event could not be published (Redis away, too slow); the event is lost, since pub/sub keeps nothing.
   * Default: a `console.warn`, at most once a minute.
   */
  onError?: (error: unknown, applied: AppliedConversation) => void
}

const DISCONNECTED = new Set(['reconnecting', 'close', 'end'])

/**
 * Publishes what the stream handler applied to every server subscribed with {@link subscribeRedisEvents}: one
 * `PUBLISH` of one JSON text per conversation per batch, each subscribed server then writing it to its own open event
 * streams. Give it as `onApplied` to `createStreamHandler` (a stream Lambda) or `startLocalStreamWorker`.
 *
 * Live events are a nudge, not the record: the returned function never throws, so a Redis outage never fails or
 * delays Pattern D's records beyond `timeoutMs`; the failure goes to `onError` and that event is lost (Redis pub/sub
 * keeps nothing, and a server that was not subscribed at that moment misses it too). Clients reload what they show
 * when their event stream reconnects.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { Cluster } from 'ioredis'
 * import { createStreamHandler } from 'dynamo-messaging/stream'
 * import { redisEventPublisher } from 'dynamo-messaging/events'
 *
 * const redis = new Cluster([{ host: process.env.REDIS_HOST!, port: 6379 }], { redisOptions: { tls: {} } })
 * export const handler = createStreamHandler({
 *   client: new DynamoDBClient({}),
 *   tableName: process.env.TABLE_NAME,
 *   onApplied: redisEventPublisher({ client: redis })
 * })
 * ```
 */
export function redisEventPublisher(options: RedisEventPublisherOptions): (applied: AppliedConversation) => Promise<void> {
  const check = new Validator()
  const fields = check.object('options', options)
  const client = fields.client as RedisPublisherLike
  if (typeof client !== 'object' || client === null || typeof client.publish !== 'function') {
    check.invalid('client', 'must be an ioredis Redis or Cluster client')
  }
  const channel = checkChannel(check, fields.channel)
  const timeoutMs = check.integer('timeoutMs', fields.timeoutMs, { min: 1, max: 60_000 }) ?? 1000
  const onError = check.callback<NonNullable<RedisEventPublisherOptions['onError']>>('onError', fields.onError) ?? warnEventError('an event could not be published; it is lost')
  check.done()
  // As redisCache: once the connection was lost, fail at once rather than queue in ioredis's offline queue while it
  // reconnects; before the first connection, wait for it (bounded by the timeout), as a Lambda's first call must.
  let wasReady = false
  return async (applied) => {
    let timer: NodeJS.Timeout | undefined
    try {
      const { status } = client
      if (status === 'ready') wasReady = true
      else if (wasReady || DISCONNECTED.has(status)) throw new Error(`Redis is not connected (ioredis status ${status})`)
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not take the event within ${timeoutMs} ms`)), timeoutMs)
      })
      await Promise.race([client.publish(channel, encodeAppliedConversation(applied)), timedOut])
    } catch (error) {
      try {
        onError(error, applied)
      } catch {
        // a throwing hook must not fail Pattern D's records either
      }
    } finally {
      clearTimeout(timer)
    }
  }
}
