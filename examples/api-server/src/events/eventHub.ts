import type { AppliedConversation } from 'dynamo-messaging/stream'
import { timeOfSortKey } from 'dynamo-messaging'
import type { GroupEvent } from './groupEvent.js'
import type { MessageEvent } from './messageEvent.js'

export type { GroupEvent } from './groupEvent.js'
export type { MessageEvent } from './messageEvent.js'

/** One open event stream: where to write, and how to end it when the server stops. */
export interface EventSubscriber {
  send(event: MessageEvent): void
  /** A change of a group the user is (or was) in; streams without it get messages only. */
  group?(event: GroupEvent): void
  close(): void
}

/**
 * The server's fan-out: the stream worker's `onApplied` hands each updated conversation to {@link EventHub.publish},
 * which writes it to the open streams of that conversation's participants, and no one else's. Built from what the
 * hook carries: any number of open tabs cost no DynamoDB read.
 */
export interface EventHub {
  /** Registers a user's stream; returns its unsubscribe. */
  subscribe(userUuid: string, subscriber: EventSubscriber): () => void
  /** The `onApplied` hook: never throws (a slow or gone tab must not fail the stream's records). */
  publish(applied: AppliedConversation): void
  /** Tells these users' open streams of a group change (the group routes call it after the write). Never throws. */
  notify(userUuids: readonly string[], event: GroupEvent): void
  /** Open streams, all users. */
  readonly size: number
  /** Ends every open stream (server shutdown), so the server can close and the pages reconnect elsewhere. */
  closeAll(): void
}

/** Each participant's event for one applied conversation: pure, so the fan-out's content is tested apart from I/O. */
export function eventsFor({ messageGroupUuid, message, participants }: AppliedConversation): Array<{ userUuid: string; event: MessageEvent }> {
  const base = {
    message_group_uuid: messageGroupUuid,
    sort_key: message.sortKey,
    message: message.message ?? '',
    created_at: timeOfSortKey(message.sortKey) ?? '',
    sender_uuid: message.userUuid ?? null,
    handle: message.handle ?? null,
    display_name: message.displayName ?? null
  }
  return participants.map(({ userUuid, unreadCount }) => ({ userUuid, event: { ...base, unread_count: unreadCount } }))
}

/** An in-process {@link EventHub}: one per server. */
export function createEventHub(onError: (error: unknown) => void = () => {}): EventHub {
  const byUser = new Map<string, Set<EventSubscriber>>()
  let size = 0
  return {
    subscribe(userUuid, subscriber) {
      const set = byUser.get(userUuid) ?? new Set()
      byUser.set(userUuid, set)
      set.add(subscriber)
      size++
      return () => {
        if (!set.delete(subscriber)) return
        size--
        if (set.size === 0) byUser.delete(userUuid)
      }
    },
    publish(applied) {
      for (const { userUuid, event } of eventsFor(applied)) {
        for (const subscriber of byUser.get(userUuid) ?? []) {
          try {
            subscriber.send(event)
          } catch (error) {
            onError(error)
          }
        }
      }
    },
    notify(userUuids, event) {
      for (const userUuid of new Set(userUuids)) {
        for (const subscriber of byUser.get(userUuid) ?? []) {
          try {
            subscriber.group?.(event)
          } catch (error) {
            onError(error)
          }
        }
      }
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
    }
  }
}
