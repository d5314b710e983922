/**
 * Live events across servers through Redis or Valkey pub/sub. Whatever runs Pattern D (the stream Lambda, a stream
 * worker) publishes each applied conversation once with {@link redisEventPublisher}, given as its `onApplied`; every
 * API server behind the load balancer listens with {@link subscribeRedisEvents} and writes each event to its own open
 * event streams (server-sent events, WebSockets). Works with a single Redis, a Redis Cluster and ElastiCache
 * Serverless (cluster mode, TLS).
 *
 * `ioredis` is an optional peer dependency that this module never imports: both functions take your client. Nothing
 * here is loaded by the other entry points.
 *
 * @example
 * ```ts
 * // The stream Lambda: three lines more than without live events.
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
 *
 * @module dynamo-messaging/events
 */
export { redisEventPublisher } from './redisEventPublisher.js'
export type { RedisEventPublisherOptions, RedisPublisherLike } from './redisEventPublisher.js'
export { subscribeRedisEvents } from './subscribeRedisEvents.js'
export type { RedisEventSubscription, RedisSubscriberLike, SubscribeRedisEventsOptions } from './subscribeRedisEvents.js'
export { DEFAULT_EVENTS_CHANNEL } from './eventsChannel.js'
export type { AppliedConversation } from '../stream/index.js'
