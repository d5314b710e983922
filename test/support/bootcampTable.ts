// A `cruddur-messages` table exactly as the AWS Cloud Project Bootcamp (week 5) leaves it, for the adopt and repair
// tests and the bench. What each part imitates:
// - `bin/ddb/schema-load`: CreateTable with pk/sk, the GSI `message-group-sk-index` (projection ALL), provisioned 5/5
//   for table and index, and no stream (the course turned it on by hand in the console).
// - `bin/ddb/seed`: one conversation with a fixed id between `andrewbrown` and `bayko`; the scripted messages a minute
//   apart, and both group rows at `now`, after every message, with the text "this is a filler message": rows whose
//   sort key and preview name no stored message (the seed never moved them).
// - `lib/ddb.py`: `create_message_group` writes both rows and the first message with one BatchWriteItem, random
//   `uuid4` ids, all three at the same `datetime.now(timezone.utc).astimezone().isoformat()` key
//   (`2023-12-31T23:59:30.123456+00:00`: `+00:00` in a UTC container, microseconds, dropped by Python when zero);
//   `create_message` puts a message, no condition, no group id on it.
// - `aws/lambdas/cruddur-messaging-stream.py`: moves each row to the new message by delete then put, non-atomically,
//   from an eventually consistent GSI read; so tables that ran it hold duplicates, rows left on an old message, and
//   rows lost outright. Those are written here as the damage it leaves.
// Everything is deterministic for a given `seed`, so two tables written with the same seed are identical.
import { BatchWriteItemCommand, CreateTableCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { mulberry32 } from './prng.js'

export interface BootcampUser {
  uuid: string
  handle: string
  displayName: string
}

/** What the stream Lambda left of one conversation's rows. */
export type Damage =
  /** Both rows at the newest message: the Lambda did its job. */
  | 'none'
  /** The seed's rows: both at `now`, after every scripted message, with the filler text: they name no stored message. */
  | 'seed'
  /** One user has the conversation twice: a row at an old message that a stale GSI read never deleted, and one at the newest. */
  | 'duplicate'
  /** One user's row on an old message (a record the Lambda dropped: it only read `Records[0]`). */
  | 'behind'
  /** One user's row is gone (deleted, then the put failed): it is owned by the participant who sent last. */
  | 'lost'
  /** Both rows gone; only the messages are left. */
  | 'lost-both'
  /** The recipient never replied and the creator's row (describing the recipient) is gone: nothing names the recipient. */
  | 'unnameable'

export interface BootcampMessage {
  sk: string
  text: string
  sender: BootcampUser
  messageUuid: string
}

export interface BootcampConversation {
  messageGroupUuid: string
  /** Creator first. */
  participants: [BootcampUser, BootcampUser]
  /** Oldest first. */
  messages: BootcampMessage[]
  damage: Damage
}

export interface BootcampTable {
  tableName: string
  users: BootcampUser[]
  conversations: BootcampConversation[]
}

export interface BootcampTableOptions {
  tableName: string
  /** Makes the random ids; the same seed writes the same table. Default 1. */
  seed?: number
  /** Include the `unnameable` conversation (adopt cannot name its recipient). Default false. */
  unnameable?: boolean
  /**
   * More conversations for volume (the bench), each with 4 messages and damage dealt in turn, between more users (half
   * as many as these conversations). Default 0.
   */
  extraConversations?: number
}

/** The fixed id of `bin/ddb/seed`'s conversation. */
export const SEED_GROUP_UUID = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399'
const FILLER = 'this is a filler message'

/** Creates the table as `schema-load` does and fills it as the seed, the app and the stream Lambda would have. */
export async function writeBootcampTable(client: DynamoDBClient, options: BootcampTableOptions): Promise<BootcampTable> {
  await client.send(new CreateTableCommand(schemaLoadInput(options.tableName)))
  const table = bootcampData(options)
  const items = table.conversations.flatMap((conversation) => itemsOf(conversation))
  for (let i = 0; i < items.length; i += 25) {
    await client.send(
      new BatchWriteItemCommand({ RequestItems: { [options.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } })
    )
  }
  return table
}

/** `bin/ddb/schema-load`'s `create_table` arguments, as they are (no StreamSpecification). */
export function schemaLoadInput(tableName: string) {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'message_group_uuid', AttributeType: 'S' as const },
      { AttributeName: 'pk', AttributeType: 'S' as const },
      { AttributeName: 'sk', AttributeType: 'S' as const }
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const }
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'message-group-sk-index',
        KeySchema: [
          { AttributeName: 'message_group_uuid', KeyType: 'HASH' as const },
          { AttributeName: 'sk', KeyType: 'RANGE' as const }
        ],
        Projection: { ProjectionType: 'ALL' as const },
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
      }
    ],
    BillingMode: 'PROVISIONED' as const,
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
  }
}

/** The conversations and their messages, without touching a table. */
export function bootcampData(options: Omit<BootcampTableOptions, 'tableName'> & { tableName: string }): BootcampTable {
  const random = mulberry32(options.seed ?? 1)
  const uuid4 = () => randomUuid4(random)
  const user = (handle: string, displayName: string): BootcampUser => ({ uuid: uuid4(), handle, displayName })
  const [andrew, bayko, londo, gkar, delenn, sheridan, ivanova, garibaldi] = [
    user('andrewbrown', 'Andrew Brown'),
    user('bayko', 'Andrew Bayko'),
    user('londo', 'Londo Mollari'),
    user('gkar', "G'Kar"),
    user('delenn', 'Delenn'),
    user('sheridan', 'John Sheridan'),
    user('ivanova', 'Susan Ivanova'),
    user('garibaldi', 'Michael Garibaldi')
  ] as const
  const users = [andrew, bayko, londo, gkar, delenn, sheridan, ivanova, garibaldi]

  // Python's isoformat() of an aware UTC datetime: microseconds unless they are zero.
  const conversation = (
    id: string,
    pair: [BootcampUser, BootcampUser],
    start: string,
    stepSeconds: number,
    lines: Array<[0 | 1, string]>,
    damage: Damage
  ): BootcampConversation => ({
    messageGroupUuid: id,
    participants: pair,
    messages: lines.map(([from, text], i) => ({
      sk: pythonIso(addSeconds(start, i * stepSeconds)),
      text,
      sender: pair[from],
      messageUuid: uuid4()
    })),
    damage
  })

  const conversations: BootcampConversation[] = [
    // bin/ddb/seed: a minute apart from 23:50 on New Year's Eve, so the conversation crosses into 2024.
    conversation(
      SEED_GROUP_UUID,
      [andrew, bayko],
      '2023-12-31T23:50:00.654321Z',
      60,
      Array.from({ length: 16 }, (_, i): [0 | 1, string] => [(i % 2) as 0 | 1, `Babylon 5, line ${i + 1}`]),
      'seed'
    ),
    conversation(uuid4(), [delenn, sheridan], '2023-12-30T10:00:00.100200Z', 600, [
      [0, 'Are you coming to the council?'],
      [1, 'On my way.'],
      [0, 'Good.']
    ], 'none'),
    // The second message lands at midnight exactly: Python prints no fraction then.
    conversation(uuid4(), [ivanova, garibaldi], '2023-12-31T23:59:30.000000Z', 30, [
      [0, 'Happy New Year, Michael.'],
      [1, 'Happy New Year!'],
      [0, 'Back to work.'],
      [1, 'Already?']
    ], 'duplicate'),
    conversation(uuid4(), [sheridan, ivanova], '2024-01-02T08:00:00.250000Z', 120, [
      [0, 'Status report.'],
      [1, 'All quiet.'],
      [0, 'Keep me posted.'],
      [1, 'Will do.'],
      [0, 'Thanks, Commander.']
    ], 'behind'),
    conversation(uuid4(), [garibaldi, delenn], '2023-11-15T12:00:00.777777Z', 300, [
      [0, 'Ambassador, a moment?'],
      [1, 'Of course.'],
      [0, 'It is about the Rangers.']
    ], 'lost'),
    conversation(uuid4(), [bayko, delenn], '2024-01-03T18:30:00.123456Z', 90, [
      [0, 'Hello Delenn'],
      [1, 'Hello Andrew'],
      [0, 'Bye']
    ], 'lost-both'),
    // Started twice (the bootcamp made a new group each time): the second is where they talk now.
    conversation(uuid4(), [londo, gkar], '2023-10-01T09:00:00.500000Z', 60, [
      [0, 'Citizen G\u2019Kar.'],
      [1, 'Ambassador.']
    ], 'none'),
    conversation(uuid4(), [gkar, londo], '2024-01-05T21:00:00.900000Z', 60, [
      [0, 'We should talk.'],
      [1, 'We should.'],
      [0, 'Tomorrow, then.']
    ], 'none')
  ]
  if (options.unnameable) {
    conversations.push(conversation(uuid4(), [andrew, garibaldi], '2024-01-04T07:00:00.333333Z', 60, [[0, 'Anyone there?']], 'unnameable'))
  }
  const kinds: Damage[] = ['none', 'duplicate', 'behind', 'lost', 'none']
  // Volume as a real app has it: many users, a few conversations each (half as many users as conversations).
  const extra = options.extraConversations ?? 0
  const pool = [...users, ...Array.from({ length: Math.ceil(extra / 2) }, (_, k) => user(`member${k}`, `Member ${k}`))]
  users.splice(0, users.length, ...pool)
  for (let i = 0; i < extra; i++) {
    const a = pool[i % pool.length]!
    const b = pool[(i * 7 + 3) % pool.length]!
    const pair: [BootcampUser, BootcampUser] = a === b ? [a, pool[(i + 1) % pool.length]!] : [a, b]
    conversations.push(
      conversation(uuid4(), pair, pythonIsoBase(Date.UTC(2023, 11, 1) + i * 3_600_000, random), 45, [
        [0, `extra ${i}: hi`],
        [1, `extra ${i}: hello`],
        [0, `extra ${i}: how are you?`],
        [1, `extra ${i}: fine`]
      ], kinds[i % kinds.length]!)
    )
  }
  return { tableName: options.tableName, users, conversations }
}

/** The stored items of one conversation: its messages, and the rows the damage left. */
export function itemsOf(conversation: BootcampConversation): Array<Record<string, AttributeValue>> {
  const { messageGroupUuid, participants, messages, damage } = conversation
  const items = messages.map((m) => ({
    pk: { S: `MSG#${messageGroupUuid}` },
    sk: { S: m.sk },
    message_uuid: { S: m.messageUuid },
    message: { S: m.text },
    user_uuid: { S: m.sender.uuid },
    user_display_name: { S: m.sender.displayName },
    user_handle: { S: m.sender.handle }
  }))
  const row = (owner: BootcampUser, sk: string, text: string) => {
    const other = participants[0] === owner ? participants[1] : participants[0]
    return {
      pk: { S: `GRP#${owner.uuid}` },
      sk: { S: sk },
      message_group_uuid: { S: messageGroupUuid },
      message: { S: text },
      user_uuid: { S: other.uuid },
      user_display_name: { S: other.displayName },
      user_handle: { S: other.handle }
    }
  }
  const newest = messages[messages.length - 1]!
  const older = messages[Math.max(0, messages.length - 3)]!
  const [creator, recipient] = participants
  const lastSender = newest.sender
  const other = lastSender === creator ? recipient : creator
  switch (damage) {
    case 'none':
      return [...items, row(creator, newest.sk, newest.text), row(recipient, newest.sk, newest.text)]
    case 'seed':
      return [...items, row(creator, fillerSkOf(conversation), FILLER), row(recipient, fillerSkOf(conversation), FILLER)]
    case 'duplicate':
      return [...items, row(creator, older.sk, older.text), row(creator, newest.sk, newest.text), row(recipient, newest.sk, newest.text)]
    case 'behind':
      return [...items, row(creator, older.sk, older.text), row(recipient, newest.sk, newest.text)]
    case 'lost':
      return [...items, row(other, newest.sk, newest.text)]
    case 'lost-both':
      return items
    case 'unnameable':
      return [...items, row(recipient, newest.sk, newest.text)]
  }
}

/** Where the seed's filler rows sit: an hour after the conversation's newest message, a key that names no message. */
export function fillerSkOf(conversation: BootcampConversation): string {
  const [whole, fraction = '000000'] = newestOf(conversation).sk.replace('+00:00', '').split('.')
  return pythonIso(addSeconds(`${whole}.${fraction}Z`, 3600))
}

/** The newest message of a conversation, as the library should leave every participant's row. */
export const newestOf = (conversation: BootcampConversation): BootcampMessage => conversation.messages[conversation.messages.length - 1]!

/** Python's `datetime.isoformat()` of an aware UTC time with microseconds: `…:ss.ffffff+00:00`, or `…:ss+00:00` at zero. */
export function pythonIso(isoWithMicros: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{6})Z$/.exec(isoWithMicros)
  if (!match) throw new Error(`expected …:ss.ffffffZ, got ${isoWithMicros}`)
  return match[2] === '000000' ? `${match[1]}+00:00` : `${match[1]}.${match[2]}+00:00`
}

/** Adds whole seconds to `…:ss.ffffffZ`, keeping the microseconds. */
function addSeconds(isoWithMicros: string, seconds: number): string {
  const [whole, fraction] = isoWithMicros.slice(0, -1).split('.')
  const time = new Date(`${whole}Z`).getTime() + seconds * 1000
  return `${new Date(time).toISOString().slice(0, 19)}.${fraction}Z`
}

function pythonIsoBase(millis: number, random: () => number): string {
  const micros = String(Math.floor(random() * 1_000_000)).padStart(6, '0')
  return `${new Date(millis).toISOString().slice(0, 19)}.${micros}Z`
}


/** A version 4 uuid (what Python's `uuid.uuid4()` gives) from `random`. */
function randomUuid4(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16))
  hex[12] = '4'
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  const s = hex.join('')
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
}
