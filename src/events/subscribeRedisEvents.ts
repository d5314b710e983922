import type { AppliedConversation } from '../stream/index.js'
import { Validator } from '../validation/validate.js'
import { decodeAppliedConversation } from './appliedConversationJson.js'
import { checkChannel, DEFAULT_EVENTS_CHANNEL } from './eventsChannel.js'
import { warnEventError } from './warnEventError.js'

/**
 * The part of an `ioredis` `Redis` or `Cluster` client that {@link subscribeRedisEvents} uses; pass the client itself.
 * A `Redis` connection that subscribes can do nothing else: give it one of its own (`redis.duplicate()`).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const subscriber: RedisSubscriberLike = new Redis(process.env.REDIS_URL!)
 * ```
 */
export interface RedisSubscriberLike {
  /** `SUBSCRIBE channel`. */
  subscribe(channel: string): Promise<unknown>
  /** `UNSUBSCRIBE channel`. */
  unsubscribe(channel: string): Promise<unknown>
  /** Adds a listener: `message` (channel, text), and the connection's `close` and `ready`. */
  on(event: string, listener: (...args: any[]) => void): unknown
  /** Removes a listener added with `on`. */
  off(event: string, listener: (...args: any[]) => void): unknown
}

/**
 * Options of {@link subscribeRedisEvents}.
 *
 * @example
 * ```ts
 * const options: SubscribeRedisEventsOptions = { client: subscriber, onEvent: (applied) => hub.publish(applied) }
 * ```
 */
export interface SubscribeRedisEventsOptions {
  /** An ioredis `Redis` (a connection of its own) or `Cluster` client. */
  client: RedisSubscriberLike
  /** The channel; default {@link DEFAULT_EVENTS_CHANNEL}, as the publisher's. */
  channel?: string
  /** Each applied conversation published on the channel, as `createStreamHandler`'s `onApplied` was told it. */
  onEvent: (applied: AppliedConversation) => void
  /**
   * Called once the subscription is back after the connection to Redis was lost: events published meanwhile were
   * missed, so tell your clients to reload (e.g. end their event streams, which makes them reconnect and reload).
   * Only seen on a `Redis` client: a `Cluster` client moves its subscription to another node without telling.
   */
  onGap?: () => void
  /**
   * A text on the channel that is no event of this format (another version, garbage), or an `onEvent` that threw.
   * Default: a `console.warn`, at most once a minute.
   */
  onError?: (error: unknown) => void
}

/**
 * A subscription made by {@link subscribeRedisEvents}.
 *
 * @example
 * ```ts
 * const subscription = await subscribeRedisEvents({ client: subscriber, onEvent })
 * process.once('SIGTERM', () => void subscription.close())
 * ```
 */
export interface RedisEventSubscription {
  /** Unsubscribes and removes the listeners; the client stays open (it is yours to `quit()`). */
  close(): Promise<void>
}

/**
 * Listens to the events a {@link redisEventPublisher} publishes (from a stream Lambda, a stream worker, or another
 * server), so that every server behind a load balancer can write each one to its own open event streams. Resolves
 * once Redis confirmed the subscription. Redis pub/sub keeps nothing: an event published while this server was not
 * subscribed is not delivered later (see `onGap`).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { subscribeRedisEvents } from 'dynamo-messaging/events'
 *
 * const subscriber = new Redis(process.env.REDIS_URL!)
 * const subscription = await subscribeRedisEvents({
 *   client: subscriber,
 *   onEvent: ({ messageGroupUuid, message, participants }) => {
 *     for (const { userUuid, unreadCount } of participants) pushToOpenStreams(userUuid, { messageGroupUuid, message, unreadCount })
 *   }
 * })
 * ```
 */
export async function subscribeRedisEvents(options: SubscribeRedisEventsOptions): Promise<RedisEventSubscription> {
  const check = new Validator()
  const fields = check.object('options', options)
  const client = fields.client as RedisSubscriberLike
  if (typeof client !== 'object' || client === null || !['subscribe', 'unsubscribe', 'on', 'off'].every((name) => typeof (client as unknown as Record<string, unknown>)[name] === 'function')) {
    check.invalid('client', 'must be an ioredis Redis or Cluster client')
  }
  const channel = checkChannel(check, fields.channel)
  const onEvent = check.callback<SubscribeRedisEventsOptions['onEvent']>('onEvent', fields.onEvent)
  if (!onEvent) check.fail('onEvent', 'on_event_missing', 'must be a function')
  const onGap = check.callback<() => void>('onGap', fields.onGap)
  const onError = check.callback<(error: unknown) => void>('onError', fields.onError) ?? warnEventError('an event from Redis was dropped')
  check.done()

  const report = (error: unknown) => {
    try {
      onError(error)
    } catch {
      // the hook's own failure has nowhere left to go
    }
  }
  const onMessage = (from: unknown, text: unknown) => {
    if (from !== channel) return // the client may hold other subscriptions of the caller's
    const decoded = typeof text === 'string' ? decodeAppliedConversation(text) : { ok: false as const, reason: 'not a text' }
    if (!decoded.ok) return report(new Error(`not an event of dynamo-messaging: ${decoded.reason}`))
    try {
      onEvent!(decoded.applied)
    } catch (error) {
      report(error)
    }
  }
  // A lost connection, then `ready` again: ioredis subscribes again by itself; subscribing once more is harmless and
  // tells us when it holds, so onGap runs only once events flow again.
  let lost = false
  const onClose = () => void (lost = true)
  const onReady = () => {
    if (!lost) return
    lost = false
    client.subscribe(channel).then(() => onGap?.(), report)
  }
  client.on('message', onMessage)
  client.on('close', onClose)
  client.on('ready', onReady)
  const detach = () => {
    client.off('message', onMessage)
    client.off('close', onClose)
    client.off('ready', onReady)
  }
  try {
    await client.subscribe(channel)
  } catch (error) {
    detach()
    throw error
  }
  return {
    async close() {
      detach()
      await client.unsubscribe(channel)
    }
  }
}
