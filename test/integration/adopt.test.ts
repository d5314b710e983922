// adoptTable on a table exactly as the bootcamp leaves it (test/support/bootcampTable.ts), against DynamoDB Local.
import { describe, expect, it } from 'vitest'
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { adoptTable, TableLayoutError, type AdoptTableResult } from '../../src/admin/index.js'
import { createMessaging, messageGroupUuidFor, NotAMemberError } from '../../src/index.js'
import { newestOf, type BootcampConversation, type BootcampTable } from '../support/bootcampTable.js'
import { bootcampTables } from '../support/bootcampTables.js'
import { snapshot, violations } from '../support/invariants.js'
import { dieAfterWrites, wireFaults } from '../support/wireFaults.js'

const { client, bootcamp } = bootcampTables('adopt')
const wire = await wireFaults()

const fast = { pollIntervalMs: 10, retry: { baseDelayMs: 1 } }

/** Every item of a table, sorted: two tables written alike compare equal. */
const state = (tableName: string) => snapshot(client, tableName)

/** Deletes the table's index and waits until it is gone (DynamoDB Local deletes it in the background). */
async function deleteIndex(tableName: string): Promise<void> {
  await client.send(new UpdateTableCommand({ TableName: tableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'message-group-sk-index' } }] }))
  for (let i = 0; i < 200; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    if (!Table?.GlobalSecondaryIndexes?.length) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('the index is still there')
}

/** The pair's conversation adopt must link: of the pair's conversations, the one with the newest message. */
function linkTargetOf(table: BootcampTable, conversation: BootcampConversation): string {
  const [a, b] = conversation.participants.map((p) => p.uuid)
  const ofPair = table.conversations.filter((c) => c.participants.some((p) => p.uuid === a) && c.participants.some((p) => p.uuid === b))
  return ofPair.reduce((best, c) => (newestOf(c).sk > newestOf(best).sk ? c : best)).messageGroupUuid
}

describe('adopt a bootcamp table', async () => {
  const table = await bootcamp('main')
  const before = await state(table.tableName)
  let result: AdoptTableResult

  it('starts from the damage the bootcamp leaves: no stream, no members items, rows behind, doubled and lost', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }))
    expect(Table?.StreamSpecification?.StreamEnabled).not.toBe(true)
    expect(before.some((item) => item.sk === '#MEMBERS')).toBe(false)
    expect(violations(before, table.conversations, { members: false }).length).toBeGreaterThan(5)
  })

  it('a dry run writes nothing and counts exactly what the real run then writes', async () => {
    const dry = await adoptTable({ client, tableName: table.tableName, dryRun: true, ...fast })
    expect(await state(table.tableName)).toEqual(before)
    expect((await client.send(new DescribeTableCommand({ TableName: table.tableName }))).Table?.StreamSpecification?.StreamEnabled).not.toBe(true)
    result = await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(dry.dryRun).toBe(true)
    expect(result.dryRun).toBe(false)
    for (const key of ['conversations', 'rows', 'membersWritten', 'pairs', 'lost', 'unresolved', 'changed'] as const) {
      expect(dry[key], key).toEqual(result[key])
    }
    expect(dry.table).toMatchObject({ streamEnabled: true, indexesCreated: ['unread-index'] })
  })

  it('turns the stream on (NEW_IMAGE) and reports its ARN', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }))
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' })
    expect(result.table).toEqual({ streamEnabled: true, streamArn: Table?.LatestStreamArn, indexesCreated: ['unread-index'] })
  })

  it('adds unread-index, so countUnread works on the adopted table and agrees with every conversation list', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }))
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(['message-group-sk-index', 'unread-index'])
    const messaging = createMessaging({ client, tableName: table.tableName })
    // Rows the repair moved gained counts (read up to where they stood); rows it left as they were read as 0.
    let unread = 0
    for (const user of table.users) {
      const { items } = await messaging.listMessageGroups({ userUuid: user.uuid, limit: 100 })
      const withUnread = items.filter((group) => group.unreadCount > 0)
      const messages = withUnread.reduce((sum, group) => sum + group.unreadCount, 0)
      expect(await messaging.countUnread({ userUuid: user.uuid }), user.handle).toEqual({ conversations: withUnread.length, messages })
      unread += messages
    }
    expect(unread).toBeGreaterThan(0)
  })

  it('leaves one row per participant per conversation, at the newest message, and a members item for each', async () => {
    expect(violations(await state(table.tableName), table.conversations, { members: true })).toEqual([])
    expect(result).toMatchObject({
      conversations: table.conversations.length,
      membersWritten: table.conversations.length,
      unresolved: [],
      withoutMessages: [],
      failed: [],
      lost: []
    })
    // seed: 2 moved; duplicate: 1 removed; behind: 1 moved; lost: 1 rebuilt; lost-both: 2 rebuilt.
    expect(result.rows).toEqual({ moved: 3, removed: 1, recreated: 3, corrected: 0 })
    expect(result.pairs).toEqual({ linked: 7, alreadyLinked: 0, startedByLibrary: 0, withSeveralConversations: 1 })
    expect(result.changed.messageGroupUuids).toEqual(table.conversations.map((c) => c.messageGroupUuid).sort())
  })

  it('makes every conversation findable by its pair: createMessageGroup either way → created: false, same conversation', async () => {
    const messaging = createMessaging({ client, tableName: table.tableName })
    const pairs = new Map(table.conversations.map((c) => [messageGroupUuidFor(c.participants[0].uuid, c.participants[1].uuid), c]))
    for (const [derived, conversation] of pairs) {
      const target = linkTargetOf(table, conversation)
      const [a, b] = conversation.participants
      for (const [sender, recipient] of [[a, b], [b, a]] as const) {
        const started = await messaging.createMessageGroup({ sender, recipient, message: `again from ${sender.handle}` })
        expect(started).toMatchObject({ created: false, messageGroupUuid: target })
        expect(started.message.messageGroupUuid).toBe(target)
      }
      const items = await state(table.tableName)
      // The derived id holds the link and nothing else: no second partition for the pair.
      expect(items.filter((item) => item.pk === `MSG#${derived}`)).toEqual([
        { pk: `MSG#${derived}`, sk: '#MEMBERS', linked_message_group_uuid: target }
      ])
      expect(items.filter((item) => item.pk === `MSG#${target}` && String(item.message).startsWith('again from'))).toHaveLength(2)
    }
  })

  it('answers the derived id of a linked pair like an unknown conversation, for members and strangers alike', async () => {
    const messaging = createMessaging({ client, tableName: table.tableName })
    const [a, b] = table.conversations[0]!.participants
    const derived = messageGroupUuidFor(a.uuid, b.uuid)
    await expect(messaging.listMessages({ messageGroupUuid: derived, viewerUuid: a.uuid })).rejects.toBeInstanceOf(NotAMemberError)
    await expect(messaging.createMessage({ messageGroupUuid: derived, sender: a, message: 'x' })).rejects.toBeInstanceOf(NotAMemberError)
    expect(await messaging.getParticipants(derived)).toBeUndefined()
    expect((await messaging.listMessages({ messageGroupUuid: derived })).items).toEqual([])
    // The adopted conversation itself now has members: a stranger may neither read nor post there.
    const stranger = table.users.find((u) => u.uuid !== a.uuid && u.uuid !== b.uuid)!
    const id = table.conversations[0]!.messageGroupUuid
    await expect(messaging.createMessage({ messageGroupUuid: id, sender: stranger, message: 'x' })).rejects.toBeInstanceOf(NotAMemberError)
    await expect(messaging.listMessages({ messageGroupUuid: id, viewerUuid: stranger.uuid })).rejects.toBeInstanceOf(NotAMemberError)
  })
})

describe('adopt again, or after an interruption', async () => {
  const reference = await bootcamp('reference', { seed: 7 })
  await adoptTable({ client, tableName: reference.tableName, ...fast })
  const adopted = await state(reference.tableName)

  it('a second adopt changes nothing', async () => {
    const again = await adoptTable({ client, tableName: reference.tableName, ...fast })
    expect(await state(reference.tableName)).toEqual(adopted)
    expect(again).toMatchObject({
      rows: { moved: 0, removed: 0, recreated: 0, corrected: 0 },
      membersWritten: 0,
      pairs: { linked: 0, alreadyLinked: 7 },
      table: { streamEnabled: false },
      changed: { messageGroupUuids: [], userUuids: [] }
    })
  })

  it.each([2, 9, 17])('stopped after %i writes and run again, ends exactly as an uninterrupted run', async (writes) => {
    const table = await bootcamp(`cut${writes}`, { seed: 7 })
    // Once `writes` writes went through, every request fails with a 500 on the wire, as if the process died there.
    const death = dieAfterWrites(writes, /Put|Delete|TransactWrite|UpdateTable/)
    wire.proxy.setRules([death.rule])
    const cut = await adoptTable({ client: wire.client, tableName: table.tableName, ...fast }).then(
      (r) => r,
      (error: unknown) => error
    )
    expect(death.written()).toBe(writes)
    // Either it stopped at once, or it went on and reported every conversation it could not finish.
    if (!(cut instanceof Error)) expect((cut as AdoptTableResult).failed.length).toBeGreaterThan(0)
    await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(await state(table.tableName)).toEqual(adopted)
  })

  it('is throttled, not broken: injected ProvisionedThroughputExceededException is retried and it completes', async () => {
    const table = await bootcamp('throttled', { seed: 7 })
    // A third of the data requests throttled on the wire, reads and writes alike (transactions included).
    const data = ['Scan', 'Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'UpdateTable']
    wire.proxy.setRules([{ fault: 'throughput', operations: data, rate: 1 / 3 }])
    const result = await adoptTable({ client: wire.client, tableName: table.tableName, ...fast, retry: { maxRetries: 10, baseDelayMs: 1 } })
    const throttledCount = Object.values(wire.proxy.stats.faults).reduce((a, b) => a + b, 0)
    expect(throttledCount).toBeGreaterThan(10)
    expect(result.failed).toEqual([])
    expect(result.throttleRetries).toBe(throttledCount)
    expect(await state(table.tableName)).toEqual(adopted)
  })
})

describe('what adopt refuses, and what it cannot name', () => {
  it('says exactly what is wrong with the index and changes nothing (the stream stays off)', async () => {
    const table = await bootcamp('wrong-index')
    // The bootcamp's index rebuilt with a KEYS_ONLY projection: Pattern D would lose the rows' attributes.
    await deleteIndex(table.tableName)
    await client.send(
      new UpdateTableCommand({
        TableName: table.tableName,
        AttributeDefinitions: [
          { AttributeName: 'message_group_uuid', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' }
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'message-group-sk-index',
              KeySchema: [
                { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
                { AttributeName: 'sk', KeyType: 'RANGE' }
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
              ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
            }
          }
        ]
      })
    )
    const before = await state(table.tableName)
    const error = await adoptTable({ client, tableName: table.tableName, ...fast }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TableLayoutError)
    expect((error as TableLayoutError).code).toBe('TABLE_LAYOUT')
    expect((error as TableLayoutError).problems).toEqual([expect.stringMatching(/^index message-group-sk-index of .* projects KEYS_ONLY; the library needs ALL/)])
    expect(await state(table.tableName)).toEqual(before)
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }))
    expect(Table?.StreamSpecification?.StreamEnabled).not.toBe(true)
  })

  it('creates the index when the table has none, then adopts', async () => {
    const table = await bootcamp('no-index')
    await deleteIndex(table.tableName)
    const result = await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(result.table.indexesCreated).toEqual(['message-group-sk-index', 'unread-index'])
    expect(violations(await state(table.tableName), table.conversations, { members: true })).toEqual([])
  })

  it('leaves a pair the library already started (before adopt) with its library conversation, the bootcamp one listed too', async () => {
    const table = await bootcamp('started')
    const messaging = createMessaging({ client, tableName: table.tableName })
    const seed = table.conversations.find((c) => c.damage === 'seed')!
    const [andrew, bayko] = seed.participants
    // The app switched to the library before adopt ran: its start made a second conversation at the derived id.
    const started = await messaging.createMessageGroup({ sender: andrew, recipient: bayko, message: 'new start' })
    expect(started.created).toBe(true)
    const result = await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(result.pairs).toMatchObject({ linked: 6, startedByLibrary: 1 })
    const again = await messaging.createMessageGroup({ sender: bayko, recipient: andrew, message: 'and again' })
    expect(again).toMatchObject({ created: false, messageGroupUuid: started.messageGroupUuid })
    expect(violations(await state(table.tableName), [seed], { members: true })).toEqual([])
  })

  it('reports a conversation whose members item is not one (other code wrote it), and adopts the rest', async () => {
    const table = await bootcamp('odd-members')
    const odd = table.conversations.find((c) => c.damage === 'none')!
    await DynamoDBDocumentClient.from(client).send(
      new PutCommand({ TableName: table.tableName, Item: { pk: `MSG#${odd.messageGroupUuid}`, sk: '#MEMBERS', members: 'ada and ben' } })
    )
    const result = await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(result.failed).toEqual([
      {
        messageGroupUuid: odd.messageGroupUuid,
        error: `its #MEMBERS item has no members list: fix or delete it (pk MSG#${odd.messageGroupUuid}), then run again`
      }
    ])
    expect(violations(await state(table.tableName), table.conversations.filter((c) => c !== odd), { members: true })).toEqual([])
  })

  it('reports a conversation whose recipient nothing names, moves what it can, and adopts the rest', async () => {
    const table = await bootcamp('unnameable', { unnameable: true })
    const result = await adoptTable({ client, tableName: table.tableName, ...fast })
    const odd = table.conversations.find((c) => c.damage === 'unnameable')!
    const [creator, recipient] = odd.participants
    expect(result.unresolved).toEqual([{ messageGroupUuid: odd.messageGroupUuid, reason: `nothing names the display name and handle of ${recipient.uuid}` }])
    expect(result.lost).toEqual([{ messageGroupUuid: odd.messageGroupUuid, ownerUuid: creator.uuid, otherUserUuid: recipient.uuid }])
    const items = await state(table.tableName)
    expect(items.some((item) => item.pk === `MSG#${odd.messageGroupUuid}` && item.sk === '#MEMBERS')).toBe(false)
    expect(violations(items, table.conversations.filter((c) => c !== odd), { members: true })).toEqual([])
  })
})
