import type { AppliedConversation } from 'dynamo-messaging/stream'
import { timeOfSortKey } from 'dynamo-messaging'
import type { GroupEvent } from './groupEvent.js'
import type { MessageEvent } from './messageEvent.js'

export type { GroupEvent } from './groupEvent.js'
export type { MessageEvent } from './messageEvent.js'

/**
 * One `message` event as server-sent-event bytes, in parts: the conversation's part, shared by every participant and
 * every stream, then the participant's own unread count. Written as they are, never copied per stream.
 */
export type EventFrame = readonly Buffer[]

/** One open event stream: where to write, and how to end it when the server stops. */
export interface EventSubscriber {
  send(frame: EventFrame): void
  /** A comment line: keeps an idle stream open through proxies and lets the server notice a client that is gone. */
  ping(): void
  /** A change of a group the user is (or was) in; streams without it get messages only. */
  group?(event: GroupEvent): void
  close(): void
}

/** How many streams one hub holds: all users, and each user. */
export interface EventHubLimits {
  maxStreams: number
  maxStreamsPerUser: number
}

/** A stream taken on, with its unsubscribe; or refused, saying which limit it met. */
export type Admission = { ok: true; unsubscribe: () => void } | { ok: false; reason: 'user_limit' | 'server_limit' }

/**
 * The server's fan-out: each updated conversation (from the stream worker's `onApplied`, or from Redis when every
 * instance subscribes there) reaches {@link EventHub.publish}, which writes it to the open streams of that
 * conversation's participants, and no one else's. Built from what the hook carries: any number of open tabs cost no
 * DynamoDB read.
 */
export interface EventHub {
  /** Registers a user's stream, unless it would pass a limit: then nothing is registered. */
  subscribe(userUuid: string, subscriber: EventSubscriber): Admission
  /** The `onApplied` hook: never throws (a slow or gone tab must not fail the stream's records). */
  publish(applied: AppliedConversation): void
  /** Tells these users' open streams of a group change (the group routes call it after the write). Never throws. */
  notify(userUuids: readonly string[], event: GroupEvent): void
  /** Open streams, all users. */
  readonly size: number
  /** Ends every open stream (shutdown, or events were missed), so the pages reconnect and reload. */
  closeAll(): void
}

/** Options of {@link createEventHub}. */
export interface EventHubOptions {
  limits?: EventHubLimits
  /** How often every stream gets a comment line; default 20 s. */
  heartbeatMs?: number
  /** A subscriber that threw while being written to. */
  onError?: (error: unknown) => void
}

/** What every participant's event of one applied conversation shares: all but `unread_count`. */
function sharedPart({ messageGroupUuid, message }: AppliedConversation): Omit<MessageEvent, 'unread_count'> {
  return {
    message_group_uuid: messageGroupUuid,
    sort_key: message.sortKey,
    message: message.message ?? '',
    created_at: timeOfSortKey(message.sortKey) ?? '',
    sender_uuid: message.userUuid ?? null,
    handle: message.handle ?? null,
    display_name: message.displayName ?? null
  }
}

/** Each participant's event for one applied conversation: pure, so the fan-out's content is tested apart from I/O. */
export function eventsFor(applied: AppliedConversation): Array<{ userUuid: string; event: MessageEvent }> {
  const shared = sharedPart(applied)
  return applied.participants.map(({ userUuid, unreadCount }) => ({ userUuid, event: { ...shared, unread_count: unreadCount } }))
}

/**
 * {@link eventsFor} as the bytes each participant's streams get: the shared part serialized once per conversation,
 * so a burst of events to many streams allocates little more than the events themselves (a test checks the bytes
 * parse back to {@link eventsFor}'s events).
 */
export function framesFor(applied: AppliedConversation): Array<{ userUuid: string; frame: EventFrame }> {
  const shared = Buffer.from(`event: message\ndata: ${JSON.stringify(sharedPart(applied)).slice(0, -1)},"unread_count":`)
  return applied.participants.map(({ userUuid, unreadCount }) => ({ userUuid, frame: [shared, Buffer.from(`${unreadCount}}\n\n`)] }))
}

/** An in-process {@link EventHub}: one per server. One heartbeat timer for all its streams, running while any is open. */
export function createEventHub(options: EventHubOptions = {}): EventHub {
  const { limits = { maxStreams: Infinity, maxStreamsPerUser: Infinity }, heartbeatMs = 20_000, onError = () => {} } = options
  const byUser = new Map<string, Set<EventSubscriber>>()
  let size = 0
  let heartbeat: NodeJS.Timeout | undefined
  const each = (write: (subscriber: EventSubscriber) => void, subscribers: Iterable<EventSubscriber>) => {
    for (const subscriber of [...subscribers]) {
      try {
        write(subscriber)
      } catch (error) {
        onError(error)
      }
    }
  }
  const stopHeartbeat = () => {
    clearInterval(heartbeat)
    heartbeat = undefined
  }
  return {
    subscribe(userUuid, subscriber) {
      const set = byUser.get(userUuid) ?? new Set()
      if (set.has(subscriber)) throw new Error('This subscriber is already subscribed') // the counts would drift
      if (set.size >= limits.maxStreamsPerUser) return { ok: false, reason: 'user_limit' }
      if (size >= limits.maxStreams) return { ok: false, reason: 'server_limit' }
      byUser.set(userUuid, set)
      set.add(subscriber)
      size++
      heartbeat ??= setInterval(() => {
        for (const subscribers of byUser.values()) each((s) => s.ping(), subscribers)
      }, heartbeatMs).unref()
      return {
        ok: true,
        unsubscribe: () => {
          if (!set.delete(subscriber)) return
          size--
          if (set.size === 0) byUser.delete(userUuid)
          if (size === 0) stopHeartbeat()
        }
      }
    },
    publish(applied) {
      if (!applied.participants.some(({ userUuid }) => byUser.has(userUuid))) return // none of them here: no bytes made
      for (const { userUuid, frame } of framesFor(applied)) {
        const subscribers = byUser.get(userUuid)
        if (subscribers) each((s) => s.send(frame), subscribers)
      }
    },
    notify(userUuids, event) {
      for (const userUuid of new Set(userUuids)) each((s) => s.group?.(event), byUser.get(userUuid) ?? [])
    },
    get size() {
      return size
    },
    closeAll() {
      for (const set of byUser.values()) {
        for (const subscriber of [...set]) {
          set.delete(subscriber) // first: its own unsubscribe, run when the socket closes, then finds nothing to do
          size--
          subscriber.close()
        }
      }
      byUser.clear()
      stopHeartbeat()
    }
  }
}
