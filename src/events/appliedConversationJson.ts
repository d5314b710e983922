import type { AppliedConversation } from '../stream/index.js'

/** The wire format's version: a subscriber drops what it cannot read instead of guessing. */
const VERSION = 1
/** Far above any real event (a message is at most 1024 characters): a bound on what a subscriber parses. */
export const MAX_EVENT_CHARS = 256 * 1024

/**
 * One applied conversation as the JSON text published on the channel: only the documented fields, so what the stream
 * handler adds later stays out until the format says so.
 */
export function encodeAppliedConversation({ messageGroupUuid, message, participants }: AppliedConversation): string {
  return JSON.stringify({
    v: VERSION,
    messageGroupUuid,
    message: {
      messageGroupUuid: message.messageGroupUuid,
      sortKey: message.sortKey,
      message: message.message,
      userUuid: message.userUuid,
      displayName: message.displayName,
      handle: message.handle
    },
    participants: participants.map(({ userUuid, unreadCount, lastReadSortKey }) => ({ userUuid, unreadCount, lastReadSortKey }))
  })
}

/**
 * The applied conversation a published text holds, or why it holds none (another version, not JSON, a field of the
 * wrong type, too long). Pure: anything may be published on a channel, so nothing is trusted.
 */
export function decodeAppliedConversation(text: string): { ok: true; applied: AppliedConversation } | { ok: false; reason: string } {
  if (text.length > MAX_EVENT_CHARS) return { ok: false, reason: `longer than ${MAX_EVENT_CHARS} characters` }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'not JSON' }
  }
  if (!isRecord(parsed)) return { ok: false, reason: 'not an object' }
  if (parsed.v !== VERSION) return { ok: false, reason: `version ${String(parsed.v).slice(0, 20)}, not ${VERSION}` }
  const { messageGroupUuid, message, participants } = parsed
  if (typeof messageGroupUuid !== 'string') return { ok: false, reason: 'messageGroupUuid is not a string' }
  if (!isRecord(message) || !strings(message, ['messageGroupUuid', 'sortKey'], ['message', 'userUuid', 'displayName', 'handle'])) {
    return { ok: false, reason: 'message is malformed' }
  }
  if (!Array.isArray(participants) || !participants.every(isParticipant)) return { ok: false, reason: 'participants are malformed' }
  return {
    ok: true,
    applied: {
      messageGroupUuid,
      message: {
        messageGroupUuid: message.messageGroupUuid as string,
        sortKey: message.sortKey as string,
        ...optional(message, 'message'),
        ...optional(message, 'userUuid'),
        ...optional(message, 'displayName'),
        ...optional(message, 'handle')
      },
      participants: participants.map(({ userUuid, unreadCount, lastReadSortKey }) => ({
        userUuid,
        unreadCount,
        ...(lastReadSortKey !== undefined && { lastReadSortKey })
      }))
    }
  }
}

interface WireParticipant {
  userUuid: string
  unreadCount: number
  lastReadSortKey?: string
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function strings(record: Record<string, unknown>, required: readonly string[], optionals: readonly string[]): boolean {
  return (
    required.every((key) => typeof record[key] === 'string') &&
    optionals.every((key) => record[key] === undefined || typeof record[key] === 'string')
  )
}

function isParticipant(value: unknown): value is WireParticipant {
  return (
    isRecord(value) &&
    typeof value.userUuid === 'string' &&
    Number.isInteger(value.unreadCount) &&
    (value.unreadCount as number) >= 0 &&
    (value.lastReadSortKey === undefined || typeof value.lastReadSortKey === 'string')
  )
}

const optional = (record: Record<string, unknown>, key: 'message' | 'userUuid' | 'displayName' | 'handle') =>
  typeof record[key] === 'string' ? { [key]: record[key] } : {}
