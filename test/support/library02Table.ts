// A `cruddur-messages` table as this library's 0.2 leaves it after adopting a bootcamp table and some use, for the
// adopt tests: 0.2's tableDefinition() (the GSI `message-group-sk-index`, `unread-index` projecting
// `message_group_uuid` and `unread_count`, a NEW_IMAGE stream), a `#MEMBERS` item per conversation, one row per member
// keyed by the last message it was moved to, with 0.2's read state (`last_read_sk`, `unread_count`,
// `unread_owner_uuid`), a pair link at `#MEMBERS` of each bootcamp pair's derived id, and a conversation 0.2 started
// itself at its pair's derived id, with library sort keys and more unread messages than the cap.
import { BatchWriteItemCommand, CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { messageGroupUuidFor, messageSk, timeOfSortKey } from '../../src/index.js'
import { bootcampData, schemaLoadInput, type BootcampConversation, type BootcampMessage, type BootcampUser } from './bootcampTable.js'
import type { ModelConversation } from './invariants.js'

/** What a member's 0.2 row held: the message it showed (index) and its read state. */
interface Row02 {
  at: number
  last_read_sk?: string
  unread_count?: number
}

export interface Library02Table {
  tableName: string
  users: BootcampUser[]
  /** Every conversation, with the markers adopt must carry over (the model's input). */
  conversations: ModelConversation[]
  /** The 0.2 pair links: derived id → conversation. */
  links: Record<string, string>
  /** The conversation 0.2 started at its pair's derived id. */
  started: ModelConversation
}

/** 0.2's `tableDefinition()`, provisioned 5/5 as its default was: the bootcamp's, with `unread-index` and a stream. */
export function library02Definition(tableName: string) {
  const bootcamp = schemaLoadInput(tableName)
  return {
    ...bootcamp,
    AttributeDefinitions: [...bootcamp.AttributeDefinitions, { AttributeName: 'unread_owner_uuid', AttributeType: 'S' as const }],
    GlobalSecondaryIndexes: [
      ...bootcamp.GlobalSecondaryIndexes,
      {
        IndexName: 'unread-index',
        KeySchema: [
          { AttributeName: 'unread_owner_uuid', KeyType: 'HASH' as const },
          { AttributeName: 'sk', KeyType: 'RANGE' as const }
        ],
        Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: ['message_group_uuid', 'unread_count'] },
        ProvisionedThroughput: bootcamp.ProvisionedThroughput
      }
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const }
  }
}

/** Creates the table as 0.2's schema-load did and fills it. */
export async function writeLibrary02Table(client: DynamoDBClient, options: { tableName: string; seed?: number }): Promise<Library02Table> {
  await client.send(new CreateTableCommand(library02Definition(options.tableName)))
  const { table, items } = library02Data(options.tableName, options.seed ?? 1)
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } }))
    await client.send(new BatchWriteItemCommand({ RequestItems: { [options.tableName]: batch } }))
  }
  return table
}

/** The table's conversations and its items, without touching a table. */
export function library02Data(tableName: string, seed: number): { table: Library02Table; items: Array<Record<string, unknown>> } {
  const bootcamp = bootcampData({ tableName, seed })
  const by = (damage: BootcampConversation['damage']) => bootcamp.conversations.filter((c) => c.damage === damage)
  const sk = (c: BootcampConversation, i: number) => c.messages[i]!.sk
  // Each member's 0.2 row, by the bootcamp damage 0.2's adopt repaired (creator first).
  const rowsOf = (c: BootcampConversation): [Row02, Row02] => {
    const last = c.messages.length - 1
    switch (c.damage) {
      case 'seed': // a count 0.2 left wrong (the truth after message 14, Andrew's own, is 1)
        return [{ at: last, last_read_sk: sk(c, 14), unread_count: 5 }, { at: last, last_read_sk: sk(c, last), unread_count: 0 }]
      case 'duplicate': // the recipient never read it
        return [{ at: last, last_read_sk: sk(c, 0), unread_count: 1 }, { at: last, unread_count: 2 }]
      case 'behind': // a stream outage left the creator's row behind, with its old preview
        return [{ at: 2, last_read_sk: sk(c, 2), unread_count: 0 }, { at: last, last_read_sk: sk(c, 3), unread_count: 1 }]
      case 'lost':
        return [{ at: last, last_read_sk: sk(c, last), unread_count: 0 }, { at: last, last_read_sk: sk(c, 0), unread_count: 2 }]
      case 'lost-both':
        return [{ at: last, last_read_sk: sk(c, last), unread_count: 0 }, { at: last, last_read_sk: sk(c, last), unread_count: 0 }]
      default: // rows 0.2's adopt found at the newest message and left as the bootcamp wrote them
        return [{ at: last }, { at: last }]
    }
  }
  const conversations = bootcamp.conversations.filter((c) => c.damage !== 'unnameable')

  // A conversation 0.2 started for Delenn and Ivanova: one message from her, then more from Ivanova than the cap.
  const [delenn, ivanova] = [bootcamp.users.find((u) => u.handle === 'delenn')!, bootcamp.users.find((u) => u.handle === 'ivanova')!]
  const startedId = messageGroupUuidFor(delenn.uuid, ivanova.uuid)
  const at = (i: number) => messageSk(new Date(Date.UTC(2024, 1, 1, 9, 0, i)), `01HZ${String(i).padStart(22, '0')}`)
  const startedMessages: BootcampMessage[] = Array.from({ length: 104 }, (_, i) => ({
    sk: at(i),
    text: i === 0 ? 'Commander?' : `Report ${i}`,
    sender: i === 0 ? delenn : ivanova,
    messageUuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
  }))
  const started: BootcampConversation = { messageGroupUuid: startedId, participants: [delenn, ivanova], messages: startedMessages, damage: 'none' }
  const startedRows: [Row02, Row02] = [
    { at: 103, last_read_sk: at(0), unread_count: 100, },
    { at: 103, last_read_sk: at(103), unread_count: 0 }
  ]

  const items: Array<Record<string, unknown>> = []
  const models: ModelConversation[] = []
  for (const [c, rows] of [...conversations.map((c) => [c, rowsOf(c)] as const), [started, startedRows] as const]) {
    const pk = `MSG#${c.messageGroupUuid}`
    for (const m of c.messages) {
      items.push({ pk, sk: m.sk, message_uuid: m.messageUuid, message: m.text, user_uuid: m.sender.uuid, user_display_name: m.sender.displayName, user_handle: m.sender.handle })
    }
    const members = [...c.participants].sort((a, b) => (a.uuid < b.uuid ? -1 : 1))
    items.push({
      pk,
      sk: '#MEMBERS',
      members: members.map((m) => ({ user_uuid: m.uuid, user_display_name: m.displayName, user_handle: m.handle })),
      created_at: timeOfSortKey(c.messages[0]!.sk)
    })
    const markers: Record<string, string | undefined> = {}
    for (const [i, owner] of c.participants.entries()) {
      const other = c.participants[1 - i]!
      const row = rows[i]!
      const shown = c.messages[row.at]!
      items.push({
        pk: `GRP#${owner.uuid}`,
        sk: shown.sk,
        message_group_uuid: c.messageGroupUuid,
        message: shown.text,
        user_uuid: other.uuid,
        user_display_name: other.displayName,
        user_handle: other.handle,
        last_read_sk: row.last_read_sk,
        unread_count: row.unread_count,
        unread_owner_uuid: (row.unread_count ?? 0) > 0 ? owner.uuid : undefined
      })
      // 0.2's marker; a count without one: never read; neither (a bootcamp row): read up to its own (stored) message.
      markers[owner.uuid] = row.last_read_sk ?? (row.unread_count === undefined ? shown.sk : undefined)
    }
    models.push({ messageGroupUuid: c.messageGroupUuid, participants: c.participants, messages: c.messages, markers })
  }

  // 0.2's adopt linked every bootcamp pair to its conversation with the newest message, at `#MEMBERS` of the pair's id.
  const links: Record<string, string> = {}
  for (const c of conversations) {
    const pair = messageGroupUuidFor(c.participants[0].uuid, c.participants[1].uuid)
    const current = conversations.find((other) => other.messageGroupUuid === links[pair])
    if (!current || c.messages.at(-1)!.sk > current.messages.at(-1)!.sk) links[pair] = c.messageGroupUuid
  }
  for (const [pair, target] of Object.entries(links)) items.push({ pk: `MSG#${pair}`, sk: '#MEMBERS', linked_message_group_uuid: target })

  return { table: { tableName, users: bootcamp.users, conversations: models, links, started: models.at(-1)! }, items }
}
