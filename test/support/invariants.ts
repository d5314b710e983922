// What adopt and repair must leave, checked against a full consistent scan of the table: a model of the new layout
// computed from the fixtures alone (its own reading of the rules, not the library's code).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { timeOfSortKey } from '../../src/index.js'
import { newestOf, type BootcampConversation, type BootcampMessage, type BootcampUser } from './bootcampTable.js'
import { scanAll } from './engine.js'

type Item = Record<string, unknown>

/** Every item, sorted by key, for before/after comparisons. */
export async function snapshot(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  return sortByKey(await scanAll(client, tableName))
}

const keyOf = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`
const sortByKey = (items: Item[]) => items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))

/** One conversation as the model knows it: its two members, its messages (oldest first), how far each had read. */
export interface ModelConversation {
  messageGroupUuid: string
  participants: readonly [BootcampUser, BootcampUser]
  messages: readonly BootcampMessage[]
  /** Per member uuid: the read marker a migrated row starts from (`undefined`: never read). */
  markers: Readonly<Record<string, string | undefined>>
}

/**
 * A member's read state from a marker: sending marks read, so it moves to their own newest message after it; the
 * count is the others' messages after that, at most 100.
 */
export function readStateModel(messages: readonly BootcampMessage[], ownerUuid: string, marker: string | undefined) {
  const after = (sk: string, from: string | undefined) => from === undefined || sk > from
  const own = messages.filter((m) => m.sender.uuid === ownerUuid && after(m.sk, marker)).map((m) => m.sk).sort()
  const read = own.length > 0 ? own[own.length - 1] : marker
  const count = messages.filter((m) => m.sender.uuid !== ownerUuid && after(m.sk, read)).length
  return { ...(read !== undefined && { marker: read }), count: Math.min(count, 100) }
}

/** The items a migrated conversation must hold besides its messages: conversation, two memberships, two rows. */
export function migratedItems(conversation: ModelConversation): Item[] {
  const { messageGroupUuid, participants, messages, markers } = conversation
  const pk = `MSG#${messageGroupUuid}`
  const newest = messages[messages.length - 1]!
  const createdAt = timeOfSortKey(messages[0]!.sk)!
  const items: Item[] = [{ pk, sk: '#CONVERSATION', kind: 'direct', created_at: createdAt }]
  for (const [i, member] of participants.entries()) {
    const other = participants[1 - i]!
    const state = readStateModel(messages, member.uuid, markers[member.uuid])
    items.push({ pk, sk: `#MEMBER#${member.uuid}`, user_display_name: member.displayName, user_handle: member.handle, joined_at: createdAt })
    items.push({
      pk: `GRP#${member.uuid}`,
      sk: pk,
      last_sk: newest.sk,
      message: newest.text,
      user_uuid: other.uuid,
      user_display_name: other.displayName,
      user_handle: other.handle,
      // Who sent the last message: the row shows it (a group's row beside the text, a direct one for "you:").
      sender_uuid: newest.sender.uuid,
      sender_display_name: newest.sender.displayName,
      sender_handle: newest.sender.handle,
      ...(state.marker !== undefined && { last_read_sk: state.marker }),
      unread_count: state.count,
      ...(state.count > 0 && { unread_owner_uuid: member.uuid }),
      rev: 1
    })
  }
  return sortByKey(items)
}

/** The items of the table that belong to a conversation besides its messages: its `#` items and every row of it. */
export function itemsOfConversation(items: readonly Item[], messageGroupUuid: string): Item[] {
  const pk = `MSG#${messageGroupUuid}`
  return sortByKey(
    items.filter(
      (item) =>
        (item.pk === pk && String(item.sk).startsWith('#')) ||
        (String(item.pk).startsWith('GRP#') && (item.sk === pk || item.message_group_uuid === messageGroupUuid))
    )
  )
}

/**
 * What differs between the table and the model, per conversation: its `#` items and rows must be exactly the model's
 * (no old row, no `#MEMBERS`, nobody else's row), `rev` aside when `anyRev` (rows Pattern D wrote since).
 */
export function layoutViolations(items: readonly Item[], conversations: readonly ModelConversation[], options: { anyRev?: boolean } = {}): string[] {
  const strip = (list: Item[]) => (options.anyRev ? list.map(({ rev: _rev, ...rest }) => rest) : list)
  return conversations.flatMap((conversation) => {
    const actual = JSON.stringify(strip(itemsOfConversation(items, conversation.messageGroupUuid)), sortedKeys)
    const expected = JSON.stringify(strip(migratedItems(conversation)), sortedKeys)
    return actual === expected ? [] : [`${conversation.messageGroupUuid}:\n  table ${actual}\n  model ${expected}`]
  })
}

const sortedKeys = (_key: string, value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value as Item).sort(([a], [b]) => (a < b ? -1 : 1)))
    : value

/**
 * A bootcamp conversation as adopt must migrate it: each member read up to their row's own message when it names a
 * stored message (so a row left behind keeps what it showed as read), else up to the newest (the seed's filler rows,
 * a lost row); duplicates count by their newest row.
 */
export function bootcampModel(conversation: BootcampConversation): ModelConversation {
  const newest = newestOf(conversation).sk
  const older = conversation.messages[Math.max(0, conversation.messages.length - 3)]!.sk
  const [creator, recipient] = conversation.participants
  return {
    messageGroupUuid: conversation.messageGroupUuid,
    participants: conversation.participants,
    messages: conversation.messages,
    markers: { [creator.uuid]: conversation.damage === 'behind' ? older : newest, [recipient.uuid]: newest }
  }
}

/** The messages of a conversation as stored, sorted by key: what adopt and repair must never touch. */
export const messagesOf = (items: readonly Item[], messageGroupUuid: string): Item[] =>
  items.filter((item) => item.pk === `MSG#${messageGroupUuid}` && !String(item.sk).startsWith('#'))

/** The newest message of a conversation as the table holds it now (strongly consistent). */
export async function newestStored(client: DynamoDBClient, tableName: string, messageGroupUuid: string): Promise<{ sk: string; text: string }> {
  const { Items } = await DynamoDBDocumentClient.from(client).send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk >= :floor',
      ExpressionAttributeValues: { ':pk': `MSG#${messageGroupUuid}`, ':floor': '0' },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: 1
    })
  )
  const item = Items?.[0]
  if (!item) throw new Error(`no message in ${messageGroupUuid}`)
  return { sk: String(item.sk), text: String(item.message) }
}
