// The table's items as the rows-in-place layout stores them, read strongly consistently for checks, and written
// directly where a test needs a state no library call leaves (a pair link, a member removed by other code).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { CONVERSATION_SK, MEMBER_SK_PREFIX, memberSk, messageGroupPk, messagePk, rowKey, type Participant } from '../../src/index.js'
import type { StoredMessageGroupRow } from '../../src/stream/index.js'

type Item = Record<string, unknown>
const documents = (client: DynamoDBClient) => DynamoDBDocumentClient.from(client)

async function queryAll(client: DynamoDBClient, tableName: string, pk: string): Promise<Item[]> {
  const items: Item[] = []
  let ExclusiveStartKey: Item | undefined
  do {
    const page = await documents(client).send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true, ExclusiveStartKey })
    )
    items.push(...(page.Items ?? []))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return items
}

/** A conversation's partition by kind: its conversation item, its members' uuids (sorted) and its messages (oldest first). */
export async function conversationOf(client: DynamoDBClient, tableName: string, messageGroupUuid: string) {
  const items = await queryAll(client, tableName, messagePk(messageGroupUuid))
  const sk = (item: Item) => String(item.sk)
  return {
    conversation: items.find((item) => sk(item) === CONVERSATION_SK),
    members: items.filter((item) => sk(item).startsWith(MEMBER_SK_PREFIX)).map((item) => sk(item).slice(MEMBER_SK_PREFIX.length)).sort(),
    messages: items.filter((item) => !sk(item).startsWith('#'))
  }
}

/** Every conversation row a user owns, by conversation key (`MSG#…`). */
export async function rowsOf(client: DynamoDBClient, tableName: string, userUuid: string): Promise<StoredMessageGroupRow[]> {
  return (await queryAll(client, tableName, messageGroupPk(userUuid))) as unknown as StoredMessageGroupRow[]
}

/** One member's row of one conversation, or undefined. */
export async function rowOf(client: DynamoDBClient, tableName: string, userUuid: string, messageGroupUuid: string): Promise<StoredMessageGroupRow | undefined> {
  const { Item } = await documents(client).send(new GetCommand({ TableName: tableName, Key: rowKey(userUuid, messageGroupUuid), ConsistentRead: true }))
  return Item as StoredMessageGroupRow | undefined
}

/** What a user sees of a row: its last message, preview, count and marker (the revision left out). */
export const rowView = (row: StoredMessageGroupRow | undefined) =>
  row && { lastSk: row.last_sk, message: row.message, unreadCount: row.unread_count, lastReadSk: row.last_read_sk, unreadOwner: row.unread_owner_uuid }

/**
 * What `owner`'s row shows once every one of `messages` (oldest first, as sent) is applied, in {@link rowView}'s terms:
 * the newest message, read up to the owner's own newest message or `read` (a markRead's marker), whichever is later,
 * the others' messages after that unread.
 */
export function settledRow(messages: ReadonlyArray<{ sortKey: string; userUuid: string; message: string }>, owner: string, read?: string) {
  const last = messages.at(-1)!
  const marker = [...messages.filter((m) => m.userUuid === owner).map((m) => m.sortKey), ...(read ? [read] : [])].sort().at(-1)
  const unreadCount = messages.filter((m) => m.userUuid !== owner && (marker === undefined || m.sortKey > marker)).length
  return { lastSk: last.sortKey, message: last.message, unreadCount, lastReadSk: marker, unreadOwner: unreadCount > 0 ? owner : undefined }
}

/** Removes a member as other code would: their membership item and their row, nothing else. */
export async function removeMember(client: DynamoDBClient, tableName: string, userUuid: string, messageGroupUuid: string): Promise<void> {
  await documents(client).send(new DeleteCommand({ TableName: tableName, Key: { pk: messagePk(messageGroupUuid), sk: memberSk(userUuid) } }))
  await documents(client).send(new DeleteCommand({ TableName: tableName, Key: rowKey(userUuid, messageGroupUuid) }))
}

/**
 * Writes a two-person conversation as `createMessageGroup` leaves one, under any id (a conversation adopted from the
 * bootcamp keeps its random one), with its messages (`[sender, text, sortKey]`, oldest first) and both rows at the
 * newest, each member having read up to their own newest message.
 */
export async function writeConversation(
  client: DynamoDBClient,
  tableName: string,
  messageGroupUuid: string,
  pair: readonly [Participant, Participant],
  messages: ReadonlyArray<readonly [Participant, string, string]>
): Promise<void> {
  const newest = messages.at(-1)!
  const createdAt = messages[0]![2].split('#', 1)[0]!
  const rowFor = (owner: Participant, other: Participant): Item => {
    const own = messages.filter(([from]) => from.uuid === owner.uuid).map(([, , sk]) => sk)
    const marker = own.at(-1)
    const unread = messages.filter(([from, , sk]) => from.uuid !== owner.uuid && (marker === undefined || sk > marker)).length
    return {
      ...rowKey(owner.uuid, messageGroupUuid),
      last_sk: newest[2],
      message: newest[1],
      user_uuid: other.uuid,
      user_display_name: other.displayName,
      user_handle: other.handle,
      ...(marker !== undefined && { last_read_sk: marker }),
      unread_count: unread,
      ...(unread > 0 && { unread_owner_uuid: owner.uuid }),
      rev: 1
    }
  }
  const items: Item[] = [
    { pk: messagePk(messageGroupUuid), sk: CONVERSATION_SK, kind: 'direct', created_at: createdAt },
    ...pair.map((member) => ({ pk: messagePk(messageGroupUuid), sk: memberSk(member.uuid), user_display_name: member.displayName, user_handle: member.handle, joined_at: createdAt })),
    rowFor(pair[0], pair[1]),
    rowFor(pair[1], pair[0]),
    ...messages.map(([from, text, sk], i) => ({
      pk: messagePk(messageGroupUuid),
      sk,
      message_uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      message: text,
      user_uuid: from.uuid,
      user_display_name: from.displayName,
      user_handle: from.handle
    }))
  ]
  for (let start = 0; start < items.length; start += 25) {
    await documents(client).send(new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }))
  }
}
