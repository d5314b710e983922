// Group changes between instances: Pattern D's events reach every instance through the library's channel, but a
// group change (created, added, removed, …) is made by one instance's route and concerns users whose streams may be
// open on another. With Redis, the route publishes a notice here and every instance (itself included) delivers it.
import type { RedisPublisherLike, RedisSubscriberLike } from 'dynamo-messaging/events'
import type { EventHub, GroupEvent } from './eventHub.js'

/** The channel of group notices, apart from the library's channel of Pattern D's events. */
export const GROUP_NOTICES_CHANNEL = 'dm:group-notices'

/** Tells users' open streams of a group change: the hub's own `notify`, or a publisher to every instance. */
export type NotifyGroup = (userUuids: readonly string[], event: GroupEvent) => void

const CHANGES = new Set<GroupEvent['change']>(['created', 'added', 'removed', 'renamed', 'role'])

/** A notice as it travels, checked on the way in: it comes from the network, so it is not trusted as typed. */
export function decodeGroupNotice(text: string): { userUuids: string[]; event: GroupEvent } | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  const { userUuids, event } = (value ?? {}) as { userUuids?: unknown; event?: Partial<GroupEvent> }
  if (!Array.isArray(userUuids) || !userUuids.every((uuid) => typeof uuid === 'string')) return undefined
  if (typeof event !== 'object' || event === null || typeof event.message_group_uuid !== 'string') return undefined
  if (!CHANGES.has(event.change as GroupEvent['change']) || (event.title !== undefined && typeof event.title !== 'string')) return undefined
  const { message_group_uuid, change, title } = event as GroupEvent
  return { userUuids, event: { message_group_uuid, change, ...(title !== undefined && { title }) } }
}

/** A {@link NotifyGroup} that publishes to every instance; a failed publish is reported, never thrown to the route. */
export function publishGroupNotices(publisher: RedisPublisherLike, onError: (error: unknown) => void): NotifyGroup {
  return (userUuids, event) => {
    publisher.publish(GROUP_NOTICES_CHANNEL, JSON.stringify({ userUuids, event })).catch(onError)
  }
}

/** Delivers the notices of every instance to this instance's `hub`; resolves once subscribed, to the unsubscribe. */
export async function relayGroupNotices(subscriber: RedisSubscriberLike, hub: EventHub, onError: (error: unknown) => void): Promise<() => Promise<void>> {
  const onMessage = (channel: unknown, text: unknown) => {
    if (channel !== GROUP_NOTICES_CHANNEL) return // the library's events share this connection
    const notice = typeof text === 'string' ? decodeGroupNotice(text) : undefined
    if (!notice) return onError(new Error('not a group notice'))
    hub.notify(notice.userUuids, notice.event)
  }
  subscriber.on('message', onMessage)
  await subscriber.subscribe(GROUP_NOTICES_CHANNEL)
  return async () => {
    subscriber.off('message', onMessage)
    await subscriber.unsubscribe(GROUP_NOTICES_CHANNEL)
  }
}
