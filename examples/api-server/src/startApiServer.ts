import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { FastifyInstance } from 'fastify'
import { createMessaging, type CacheReadEvent, type MessagingCache } from 'dynamo-messaging'
import { redisEventPublisher, subscribeRedisEvents, type RedisEventSubscription, type RedisPublisherLike, type RedisSubscriberLike } from 'dynamo-messaging/events'
import { startLocalStreamWorker, type LocalStreamWorker } from 'dynamo-messaging/local'
import type { Authenticator } from './auth.js'
import { buildServer, type BuildServerOptions } from './buildServer.js'
import { DEFAULT_LIMITS, type ApiConfig, type ServerLimits } from './config.js'
import { createEventHub, type EventHub } from './events/eventHub.js'
import { publishGroupNotices, relayGroupNotices } from './events/groupNotices.js'
import type { RedisConnections } from './redis.js'
import type { UserDirectory } from './users.js'

/**
 * Where live events come from: `local`, this process's stream worker (one instance); through Redis, from whatever
 * runs Pattern D (this process's worker publishes there too), to every instance subscribed; or `off`.
 */
export type EventSource = 'local' | 'off' | { redis: { publisher: RedisPublisherLike; subscriber: RedisSubscriberLike } }

/** The configured events (`EVENTS`, `REDIS_URL`) as an {@link EventSource}: through `redis`'s connections, or not. */
export function eventSourceFor(events: ApiConfig['events'], redis: RedisConnections | undefined): EventSource {
  if (events !== 'redis') return events
  if (!redis) throw new Error('Live events through Redis need its connections')
  return { redis: { publisher: redis.client, subscriber: redis.subscriber() } }
}

export interface StartApiServerOptions {
  client: DynamoDBClient
  tableName: string
  users: UserDirectory
  auth: Authenticator
  port: number
  host: string
  /** Also run Pattern D from the table's stream here, as the Lambda would on AWS. */
  streamWorker: boolean
  logger?: BuildServerOptions['logger']
  corsOrigins?: readonly string[]
  /** Patterns A and B through this cache; the stream worker, when on, invalidates it. */
  cache?: MessagingCache
  /** Told of each cache lookup; default: a `debug` log line. */
  onCacheRead?: (event: CacheReadEvent) => void
  /** Default `local` with the stream worker, else `off`. */
  events?: EventSource
  /** See {@link BuildServerOptions.streamTokenSecret}. */
  streamTokenSecret?: string
  limits?: Partial<ServerLimits>
}

/** A listening API server and, in local mode, its stream worker. */
export interface ApiServer {
  readonly url: string
  readonly server: FastifyInstance
  readonly worker?: LocalStreamWorker
  /** The live-update fan-out to this server's open streams, when events are on. */
  readonly events?: EventHub
  /** Stops taking requests, finishes those in flight, then stops the worker. The client is the caller's to destroy. */
  stop(): Promise<void>
}

/** Shared by `main.ts` and `startLocal.ts`: builds the server, starts the worker if asked, listens. */
export async function startApiServer(options: StartApiServerOptions): Promise<ApiServer> {
  const { client, tableName, cache } = options
  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  const source = options.events ?? (options.streamWorker ? 'local' : 'off')
  if (source === 'local' && !options.streamWorker) throw new Error('Live events from this process need its stream worker (or Redis)')
  const cacheOptions = cache && {
    cache,
    onCacheRead: options.onCacheRead ?? ((event: CacheReadEvent) => server.log.debug({ cache: event }, event.hit ? 'cache hit' : 'cache miss')),
    onCacheError: (error: unknown, operation: string) => server.log.warn({ err: error, operation }, 'cache failed; served from DynamoDB')
  }
  const events =
    source === 'off'
      ? undefined
      : createEventHub({
          limits: { maxStreams: limits.maxEventStreams, maxStreamsPerUser: limits.maxEventStreamsPerUser },
          onError: (error) => server.log.warn({ err: error }, 'event stream write failed')
        })
  const server = buildServer({
    messaging: createMessaging({ client, tableName, ...cacheOptions }),
    users: options.users,
    auth: options.auth,
    limits,
    ...(options.logger !== undefined && { logger: options.logger }),
    ...(options.corsOrigins !== undefined && { corsOrigins: options.corsOrigins }),
    ...(events && { events }),
    // Through Redis, a group change made here also reaches the streams other instances hold (and this one's, by Redis).
    ...(events &&
      typeof source === 'object' && {
        notifyGroup: publishGroupNotices(source.redis.publisher, (error) => server.log.warn({ err: error }, 'could not publish a group notice to Redis; it is lost'))
      }),
    ...(options.streamTokenSecret !== undefined && { streamTokenSecret: options.streamTokenSecret })
  })
  let stopping = false
  let subscription: RedisEventSubscription | undefined
  let groupNotices: (() => Promise<void>) | undefined
  let worker: LocalStreamWorker | undefined
  const stop = async () => {
    stopping = true
    await server.close()
    await worker?.stop()
    await subscription?.close().catch(() => {}) // Redis may be gone already
    await groupNotices?.().catch(() => {})
  }
  try {
    // Subscribed before listening: a stream this server accepts gets every event from then on.
    if (events && typeof source === 'object') {
      subscription = await subscribeRedisEvents({
        client: source.redis.subscriber,
        onEvent: events.publish,
        // Events published while the subscription was down are lost: ending the streams makes the pages reload.
        onGap: () => {
          server.log.warn({ streams: events.size }, 'Redis subscription restored after a loss: ending open event streams so pages reload')
          events.closeAll()
        },
        onError: (error) => server.log.warn({ err: error }, 'event from Redis dropped')
      })
      groupNotices = await relayGroupNotices(source.redis.subscriber, events, (error) => server.log.warn({ err: error }, 'group notice from Redis dropped'))
    }
    const onApplied =
      typeof source === 'object'
        ? redisEventPublisher({ client: source.redis.publisher, onError: (error) => server.log.warn({ err: error }, 'could not publish an event to Redis; it is lost') })
        : events?.publish
    worker = options.streamWorker
      ? await startLocalStreamWorker({
          client,
          tableName,
          ...(cacheOptions && { cache, onCacheError: cacheOptions.onCacheError }),
          ...(onApplied && { onApplied }),
          // While shutting down, DynamoDB Local may already be gone (Ctrl-C reaches it too): that noise is expected.
          onError: (error) => void (stopping || server.log.error({ err: error }, 'stream worker'))
        })
      : undefined
    const url = await server.listen({ port: options.port, host: options.host })
    return { url, server, ...(worker && { worker }), ...(events && { events }), stop }
  } catch (error) {
    await stop()
    throw error
  }
}
