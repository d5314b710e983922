import { ULID, Validator } from '../validation/validate.js'

/**
 * Key layout (the bootcamp's `cruddur-messages` prefixes, rows kept in place):
 *
 * | item | pk | sk |
 * |---|---|---|
 * | message | `MSG#<message_group_uuid>` | `<ISO time>#<ULID>` (seed rows: bare ISO time) |
 * | conversation | `MSG#<message_group_uuid>` | `#CONVERSATION` |
 * | membership (one per member) | `MSG#<message_group_uuid>` | `#MEMBER#<user_uuid>` |
 * | conversation row (one per member) | `GRP#<owner user_uuid>` | `MSG#<message_group_uuid>`: fixed, updated in place |
 */

/**
 * Prefix of the partition key of a conversation's messages and its members item: `MSG#<message_group_uuid>`.
 *
 * @example
 * ```ts
 * if (pk.startsWith(MESSAGE_PREFIX)) console.log('a message or a members item')
 * ```
 */
export const MESSAGE_PREFIX = 'MSG#'
/**
 * Prefix of the partition key of a user's conversation rows: `GRP#<owner user_uuid>`.
 *
 * @example
 * ```ts
 * if (pk.startsWith(MESSAGE_GROUP_PREFIX)) console.log('a conversation row')
 * ```
 */
export const MESSAGE_GROUP_PREFIX = 'GRP#'
/**
 * Sort key of a conversation's own item (its kind and creation time, or a pair link). `#` sorts before every digit, so
 * it sits outside the range of message sort keys and Pattern A's key condition (`sk >= "0"`) never reads it.
 *
 * @example
 * ```ts
 * import { GetCommand } from '@aws-sdk/lib-dynamodb'
 * const { Item } = await documentClient.send(
 *   new GetCommand({ TableName: 'cruddur-messages', Key: { pk: messagePk(messageGroupUuid), sk: CONVERSATION_SK } })
 * )
 * ```
 */
export const CONVERSATION_SK = '#CONVERSATION'
/**
 * Prefix of a membership item's sort key, `#MEMBER#<user_uuid>`: one item per member in the conversation's partition,
 * so a membership check is one GetItem and the members are one Query, whatever the number of members.
 *
 * @example
 * ```ts
 * const members = { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)', ExpressionAttributeValues: { ':pk': pk, ':m': MEMBER_SK_PREFIX } }
 * ```
 */
export const MEMBER_SK_PREFIX = '#MEMBER#'
/** Lower bound of every message sort key (they start with a year). */
export const MESSAGE_SK_FLOOR = '0'

/**
 * Partition key of a conversation's messages. The uuid is lower-cased, as the library stores it; anything but a uuid
 * is a {@link ValidationError} (`message_group_uuid_invalid`), never a key such as `MSG#undefined`.
 *
 * @example
 * ```ts
 * messagePk('5ae290ed-55d1-47a0-bc6d-fe2bc2700399') // 'MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399'
 * ```
 */
export const messagePk = (messageGroupUuid: string): string => `${MESSAGE_PREFIX}${checkedUuid('messageGroupUuid', messageGroupUuid)}`

/**
 * Partition key of a user's conversation list. The uuid is lower-cased; anything but a uuid is a
 * {@link ValidationError} (`user_uuid_invalid`).
 *
 * @example
 * ```ts
 * messageGroupPk('b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10') // 'GRP#b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10'
 * ```
 */
export const messageGroupPk = (userUuid: string): string => `${MESSAGE_GROUP_PREFIX}${checkedUuid('userUuid', userUuid)}`

/**
 * Sort key of a user's membership item in a conversation's partition. The uuid is lower-cased; anything but a uuid is
 * a {@link ValidationError} (`user_uuid_invalid`).
 *
 * @example
 * ```ts
 * memberSk('b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10') // '#MEMBER#b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10'
 * ```
 */
export const memberSk = (userUuid: string): string => `${MEMBER_SK_PREFIX}${checkedUuid('userUuid', userUuid)}`

/**
 * The key of a user's conversation row: `GRP#<user>` and `MSG#<conversation>`. The row stays at this key for the life
 * of the membership; Pattern D updates it in place and the `inbox-index` orders a user's rows by their last message.
 *
 * @example
 * ```ts
 * rowKey(alice.uuid, messageGroupUuid) // { pk: 'GRP#5ae2…', sk: 'MSG#0b1c…' }
 * ```
 */
export const rowKey = (userUuid: string, messageGroupUuid: string): { pk: string; sk: string } => ({
  pk: messageGroupPk(userUuid),
  sk: messagePk(messageGroupUuid)
})

/**
 * The user uuid in a `#MEMBER#` sort key, or `undefined` when it is not one.
 *
 * @example
 * ```ts
 * parseMemberSk('#MEMBER#b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10') // 'b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10'
 * ```
 */
export const parseMemberSk = (sk: string): string | undefined => stripPrefix(sk, MEMBER_SK_PREFIX)

const checkedUuid = (path: string, value: unknown): string => {
  const check = new Validator()
  const uuid = check.uuid(path, value)
  check.done()
  return uuid
}

/**
 * The message group uuid in a `MSG#` partition key, or `undefined` when it is not one.
 *
 * @example
 * ```ts
 * parseMessagePk('MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399') // '5ae290ed-55d1-47a0-bc6d-fe2bc2700399'
 * parseMessagePk('GRP#x') // undefined
 * ```
 */
export const parseMessagePk = (pk: string): string | undefined => stripPrefix(pk, MESSAGE_PREFIX)

/**
 * The owner's user uuid in a `GRP#` partition key, or `undefined` when it is not one.
 *
 * @example
 * ```ts
 * parseMessageGroupPk('GRP#b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10') // 'b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10'
 * ```
 */
export const parseMessageGroupPk = (pk: string): string | undefined => stripPrefix(pk, MESSAGE_GROUP_PREFIX)

const stripPrefix = (value: string, prefix: string): string | undefined =>
  typeof value === 'string' && value.startsWith(prefix) && value.length > prefix.length
    ? value.slice(prefix.length)
    : undefined

/**
 * Sort key of a message; a conversation row keeps its last message's in `last_sk`.
 * The ULID after the time keeps two messages of the same millisecond apart (the seeds overwrote one of them), and
 * string order equals time order, also against the seeds' bare timestamps. A date before 1970 or after 9999, or an id
 * that is not a ULID, is a {@link ValidationError} (`created_at_invalid`, `ulid_invalid`).
 *
 * @example
 * ```ts
 * messageSk(new Date('2026-01-01T00:00:00.000Z'), '01KAR1Z1X8Y3VQ7D0N4W6TJ2HF')
 * // '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF'
 * ```
 */
export const messageSk = (createdAt: Date, ulid: string): string => {
  const check = new Validator()
  if (!isMessageTime(createdAt)) check.invalid('createdAt', 'must be a valid Date from 1970 to the end of 9999')
  if (typeof ulid !== 'string' || !ULID.test(ulid)) check.invalid('ulid', 'must be a ULID: 26 characters of Crockford base 32, upper case')
  check.done()
  return `${createdAt.toISOString()}#${ulid}`
}

/**
 * Whether a message can be sent at `time`: a valid `Date` from 1970 (a ULID holds no earlier time) to the end of 9999
 * (later years do not print as four digits, so would not sort as a message sort key).
 */
export const isMessageTime = (time: unknown): time is Date =>
  time instanceof Date && time.getTime() >= 0 && time.getTime() <= LAST_MESSAGE_TIME

const LAST_MESSAGE_TIME = Date.parse('9999-12-31T23:59:59.999Z')

// Printable ASCII (so its UTF-8 bytes are its characters) that starts with an ISO date and time.
const MESSAGE_SK = /^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d[\x20-\x7e]*$/
/** DynamoDB's limit on a sort key, in bytes. */
const MAX_SORT_KEY_BYTES = 1024

/**
 * Whether `sk` is a message sort key: this library's `<ISO time>#<ULID>`, or the seeds' bare ISO timestamp. Such a key
 * is printable ASCII, starts with an ISO date and time, and is at most 1024 bytes (DynamoDB's limit), so it is in the
 * range of Pattern A's query (`sk >= "0"`) and a valid sort key of the `inbox-index`.
 *
 * @example
 * ```ts
 * isMessageSortKey('2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF') // true
 * isMessageSortKey('2023-03-01T12:34:56.123456+00:00') // true: a seeds' key
 * isMessageSortKey(CONVERSATION_SK) // false
 * ```
 */
export const isMessageSortKey = (sk: unknown): boolean =>
  typeof sk === 'string' && sk.length <= MAX_SORT_KEY_BYTES && MESSAGE_SK.test(sk)

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/

/**
 * The time a sort key stands for, as ISO-8601 UTC with milliseconds, or `undefined` when the key holds no time.
 * Reads this library's `<time>#<ULID>` keys and the seeds' bare timestamps (`+00:00`, microseconds, or no offset,
 * which the seeds meant as UTC).
 *
 * @example
 * ```ts
 * timeOfSortKey('2023-03-01T12:34:56.123456+00:00') // '2023-03-01T12:34:56.123Z'
 * timeOfSortKey('2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF') // '2026-01-01T00:00:00.000Z'
 * ```
 */
export const timeOfSortKey = (sk: string): string | undefined => {
  if (typeof sk !== 'string') return undefined
  const time = sk.split('#', 1)[0] ?? ''
  const match = ISO_TIME.exec(time)
  if (!match) return undefined
  const millis = Date.parse(match[3] ? time : `${time}Z`)
  return Number.isNaN(millis) ? undefined : new Date(millis).toISOString()
}
