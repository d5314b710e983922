import type { DynamoDBStreamRecord } from './types.js'
import { isMessageSortKey, parseMessagePk } from '../keys/keys.js'
import { UUID } from '../validation/validate.js'
import type { LatestMessage } from '../types.js'
import { describeThrown } from './describeThrown.js'

/**
 * Why a stream record leads to no write. Stable strings: log them, count them, switch on them.
 *
 * @example
 * ```ts
 * const skipped = new Map<StreamSkipReason, number>()
 * const handler = createStreamHandler({
 *   client,
 *   onSkip: (_record, reason) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1)
 * })
 * ```
 */
export type StreamSkipReason =
  /** A MODIFY or REMOVE (TTL deletions included): only new messages move conversations. */
  | 'not-an-insert'
  /** No `NewImage`, e.g. a `KEYS_ONLY` stream. The table's stream must be `NEW_IMAGE`. */
  | 'no-new-image'
  /** A conversation row, a conversation or membership item, or a key this library does not write (`MSG#<not a uuid>`). */
  | 'not-a-message'
  /** Looked like a message but an attribute is missing or of the wrong type; `detail` names it. */
  | 'malformed'
  /** Every member's row already shows this message or a newer one, with the count it implies. */
  | 'already-current'
  /**
   * A message of a conversation without members: none of this library's (a table not adopted yet, `adopt` brings it
   * in), or members removed by other code. Nothing to update.
   */
  | 'no-members'

/**
 * The message a stream record announces, or why it announces none; returned by {@link readStreamMessage}.
 *
 * @example
 * ```ts
 * const read: StreamMessage = readStreamMessage(record)
 * if (read.ok) await messaging.updateMessageGroups(read.latest)
 * ```
 */
export type StreamMessage =
  | { ok: true; latest: LatestMessage }
  | { ok: false; reason: StreamSkipReason; detail: string }

/**
 * Reads the new message out of a DynamoDB Streams record (marshalled `NewImage`, as Lambda delivers it). Pure and
 * total: any input, however malformed, gives a result rather than an exception, even a record whose getters or Proxy
 * traps throw (a `malformed` skip saying so).
 *
 * @example
 * ```ts
 * const read = readStreamMessage(event.Records[0])
 * if (read.ok) console.log(read.latest.messageGroupUuid, read.latest.sortKey)
 * else console.log('skipped:', read.reason, read.detail)
 * ```
 */
export function readStreamMessage(record: DynamoDBStreamRecord): StreamMessage {
  try {
    return readRecord(record)
  } catch (error) {
    // Only an object built to throw (a getter, a Proxy) gets here; records Lambda delivers are plain JSON.
    return skip('malformed', `unreadable record: ${describeThrown(error)}`)
  }
}

function readRecord(record: DynamoDBStreamRecord): StreamMessage {
  if (!isObject(record)) return skip('malformed', 'the record is not an object')
  const { eventName } = record
  if (eventName !== 'INSERT') {
    if (eventName === 'MODIFY' || eventName === 'REMOVE') {
      const ttl = isObject(record.userIdentity) && record.userIdentity.principalId === 'dynamodb.amazonaws.com'
      return skip('not-an-insert', ttl ? 'a TTL deletion' : `a ${eventName} event`)
    }
    return skip('malformed', `eventName is ${describe(eventName)}, not INSERT, MODIFY or REMOVE`)
  }
  const change = record.dynamodb
  if (!isObject(change)) return skip('malformed', 'the record has no dynamodb section')
  const image = change.NewImage
  if (!isObject(image)) return skip('no-new-image', 'the record has no NewImage; the stream must be NEW_IMAGE')
  const pk = stringAttribute(image, 'pk')
  if (pk === undefined) return skip('malformed', 'pk is not a string attribute')
  const messageGroupUuid = parseMessagePk(pk)
  if (messageGroupUuid === undefined) return skip('not-a-message', `pk ${pk.slice(0, 80)} is not a MSG# key`)
  // Other code's partition: no conversation of this library, and no key Pattern D could read (never a failed record).
  if (!UUID.test(messageGroupUuid)) return skip('not-a-message', `pk ${pk.slice(0, 80)} names no conversation uuid`)
  const sk = stringAttribute(image, 'sk')
  if (sk === undefined) return skip('malformed', 'sk is not a string attribute')
  // `#CONVERSATION`, `#MEMBER#…` (and other code's `#` items) sort before every message.
  if (sk.startsWith('#')) return skip('not-a-message', `a ${sk.slice(0, 20)} item`)
  if (!isMessageSortKey(sk)) return skip('malformed', `sk ${sk.slice(0, 80)} is not a message sort key`)
  const message = stringAttribute(image, 'message')
  if (message === undefined) return skip('malformed', 'message is not a string attribute')
  const latest: LatestMessage = { messageGroupUuid, sortKey: sk, message }
  // The sender, when the image has it: it names a participant for Pattern D (a missing one is not malformed).
  const userUuid = stringAttribute(image, 'user_uuid')
  const displayName = stringAttribute(image, 'user_display_name')
  const handle = stringAttribute(image, 'user_handle')
  if (userUuid !== undefined) latest.userUuid = userUuid
  if (displayName !== undefined) latest.displayName = displayName
  if (handle !== undefined) latest.handle = handle
  return { ok: true, latest }
}

const skip = (reason: StreamSkipReason, detail: string): StreamMessage => ({ ok: false, reason, detail })

const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null

const stringAttribute = (image: Record<string, unknown>, name: string): string | undefined => {
  const value = image[name]
  return isObject(value) && typeof value.S === 'string' ? value.S : undefined
}

const describe = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value)
