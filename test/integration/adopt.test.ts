// adoptTable on a table exactly as the bootcamp leaves it (test/support/bootcampTable.ts) and on one this library's
// 0.2 left (test/support/library02Table.ts), against DynamoDB Local. What it must leave is the model of
// test/support/invariants.ts, computed from the fixtures alone.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BatchWriteItemCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { adoptTable, TableLayoutError, ValidationError, type AdoptTableResult } from '../../src/admin/index.js'
import { createMessaging, createStreamHandler, messageGroupUuidFor, NotAMemberError, timeOfSortKey, type Message } from '../../src/index.js'
import { seedsSendMessage, seedsStreamFunction } from '../../bench/seedsAlgorithm.js'
import { itemsOf, newestOf, pythonIso, type BootcampConversation, type BootcampTable } from '../support/bootcampTable.js'
import { bootcampTables } from '../support/bootcampTables.js'
import { bootcampModel, itemsOfConversation, layoutViolations, messagesOf, snapshot } from '../support/invariants.js'
import { writeLibrary02Table } from '../support/library02Table.js'
import { insertRecordOf } from '../support/streamRecords.js'
import { dieAfterWrites, wireFaults } from '../support/wireFaults.js'

const { client, bootcamp, track } = bootcampTables('adopt')
const wire = await wireFaults()
const doc = DynamoDBDocumentClient.from(client)

const fast = { pollIntervalMs: 10, retry: { baseDelayMs: 1 } }
const state = (tableName: string) => snapshot(client, tableName)
const indexesOf = async (tableName: string) =>
  ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()

/** Every old row of a bootcamp table, as the fixture wrote them. */
const oldRows = (table: BootcampTable) => table.conversations.flatMap((c) => itemsOf(c).filter((item) => item.pk!.S!.startsWith('GRP#')))

/** The pair's conversation adopt must link: of the pair's conversations, the one with the newest message. */
function linkTargetOf(table: BootcampTable, conversation: BootcampConversation): string {
  const [a, b] = conversation.participants.map((p) => p.uuid)
  const ofPair = table.conversations.filter((c) => c.participants.some((p) => p.uuid === a) && c.participants.some((p) => p.uuid === b))
  return ofPair.reduce((best, c) => (newestOf(c).sk > newestOf(best).sk ? c : best)).messageGroupUuid
}

/** A message as the bootcamp's app sends it (a plain put, a bare timestamp), as the library's Message. */
async function bootcampSend(tableName: string, conversation: BootcampConversation, from: 0 | 1, text: string, at: string): Promise<Message> {
  const sender = conversation.participants[from]
  await seedsSendMessage(doc, tableName, conversation.messageGroupUuid, sender, text, at)
  const { uuid: userUuid, displayName, handle } = sender
  return { uuid: randomUUID(), messageGroupUuid: conversation.messageGroupUuid, userUuid, displayName, handle, message: text, createdAt: timeOfSortKey(at)!, sortKey: at }
}

describe('adopt a bootcamp table', async () => {
  const table = await bootcamp('main')
  const before = await state(table.tableName)
  const models = table.conversations.map(bootcampModel)
  let result: AdoptTableResult

  it('starts from what the bootcamp leaves: no stream, no conversation or membership items, rows keyed by their message', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }))
    expect(Table?.StreamSpecification?.StreamEnabled).not.toBe(true)
    expect(before.some((item) => String(item.sk).startsWith('#'))).toBe(false)
    expect(layoutViolations(before, models)).toHaveLength(models.length)
  })

  it('a dry run writes nothing and counts exactly what the real run then writes', async () => {
    const dry = await adoptTable({ client, tableName: table.tableName, dryRun: true, ...fast })
    expect(await state(table.tableName)).toEqual(before)
    expect(await indexesOf(table.tableName)).toEqual(['message-group-sk-index'])
    result = await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(dry.dryRun).toBe(true)
    expect(result.dryRun).toBe(false)
    const { dryRun: _d, table: dryTable, ...dryCounts } = dry
    const { dryRun: _r, table: realTable, ...realCounts } = result
    expect(dryCounts).toEqual(realCounts)
    expect(dryTable).toEqual({ ...realTable, streamArn: undefined })
  })

  it('turns the stream on (NEW_IMAGE), creates inbox-index and unread-index, and names message-group-sk-index unused', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }))
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' })
    expect(result.table).toEqual({
      streamEnabled: true,
      streamArn: Table?.LatestStreamArn,
      indexesCreated: ['inbox-index', 'unread-index'],
      unusedIndexes: ['message-group-sk-index'],
      notes: []
    })
    expect(await indexesOf(table.tableName)).toEqual(['inbox-index', 'message-group-sk-index', 'unread-index'])
  })

  it('leaves every conversation exactly as the model says, messages untouched, no old row anywhere', async () => {
    const items = await state(table.tableName)
    expect(layoutViolations(items, models)).toEqual([])
    for (const c of table.conversations) expect(messagesOf(items, c.messageGroupUuid)).toEqual(messagesOf(before, c.messageGroupUuid))
    expect(items.filter((item) => String(item.pk).startsWith('GRP#') && !String(item.sk).startsWith('MSG#'))).toEqual([])
    // The seed's filler rows named no stored message: nothing of them is kept.
    expect(items.filter((item) => item.message === 'this is a filler message')).toEqual([])
  })

  it('reports what it did', () => {
    const n = table.conversations.length
    expect(result).toMatchObject({
      conversations: n,
      migrated: n,
      written: { conversations: n, memberships: 2 * n, rows: 2 * n },
      deleted: { rows: oldRows(table).length, membersItems: 0 },
      updated: 0,
      writtenAfterAdopt: { items: 0, messageGroupUuids: [] },
      pairs: { linked: 7, moved: 0, alreadyLinked: 0, startedByLibrary: 0, withSeveralConversations: 1 },
      unresolved: [],
      withoutMessages: [],
      failed: []
    })
    expect(result.changed.userUuids).toEqual(table.users.map((u) => u.uuid).sort())
  })

  it('Patterns A and B read it: lists newest first with the carried read state, countUnread agrees, members only', async () => {
    const messaging = createMessaging({ client, tableName: table.tableName })
    const items = await state(table.tableName)
    for (const user of table.users) {
      const { items: groups } = await messaging.listMessageGroups({ userUuid: user.uuid, limit: 100 })
      const rows = items.filter((item) => item.pk === `GRP#${user.uuid}`)
      expect(groups.map((g) => g.messageGroupUuid).sort()).toEqual(rows.map((row) => String(row.sk).slice(4)).sort())
      expect(groups.map((g) => g.sortKey)).toEqual([...groups.map((g) => g.sortKey)].sort().reverse())
      const unread = groups.filter((g) => g.unreadCount > 0)
      expect(await messaging.countUnread({ userUuid: user.uuid })).toEqual({
        conversations: unread.length,
        messages: unread.reduce((sum, g) => sum + g.unreadCount, 0)
      })
    }
    const c = table.conversations.find((c) => c.damage === 'seed')!
    const page = await messaging.listMessages({ messageGroupUuid: c.messageGroupUuid, viewerUuid: c.participants[0].uuid, limit: 100 })
    expect(page.items.map((m) => m.message)).toEqual(c.messages.map((m) => m.text).reverse())
    const stranger = table.users.find((u) => !c.participants.some((p) => p.uuid === u.uuid))!
    await expect(messaging.listMessages({ messageGroupUuid: c.messageGroupUuid, viewerUuid: stranger.uuid })).rejects.toBeInstanceOf(NotAMemberError)
  })

  it("after adopt, the bootcamp's stream function leaves the new rows alone; the library's stream handler moves them", async () => {
    const c = table.conversations.find((c) => c.damage === 'none')!
    const rowsBefore = itemsOfConversation(await state(table.tableName), c.messageGroupUuid)
    const at = pythonIso('2030-01-01T00:00:00.123456Z')
    const message = await bootcampSend(table.tableName, c, 1, 'still on the old app', at)
    // The old function queries message-group-sk-index by message_group_uuid: new rows are not there.
    await seedsStreamFunction(doc, table.tableName, c.messageGroupUuid, at, message.message)
    expect(itemsOfConversation(await state(table.tableName), c.messageGroupUuid)).toEqual(rowsBefore)

    const handler = createStreamHandler({ client, tableName: table.tableName })
    expect(await handler({ Records: [insertRecordOf(message, 1)] })).toEqual({ batchItemFailures: [] })
    const rows = itemsOfConversation(await state(table.tableName), c.messageGroupUuid).filter((item) => String(item.pk).startsWith('GRP#'))
    expect(rows.map((row) => [row.pk, row.last_sk, row.message, row.unread_count])).toEqual(
      c.participants
        .map((p, i) => [`GRP#${p.uuid}`, at, 'still on the old app', i === 1 ? 0 : 1])
        .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1))
    )
  })

  it('makes every pair find its conversation: createMessageGroup either way continues it, and the derived id holds only the link', async () => {
    const messaging = createMessaging({ client, tableName: table.tableName })
    const pairs = new Map(table.conversations.map((c) => [messageGroupUuidFor(c.participants[0].uuid, c.participants[1].uuid), c]))
    for (const [derived, conversation] of pairs) {
      const target = linkTargetOf(table, conversation)
      const [a, b] = conversation.participants
      for (const [sender, recipient] of [[a, b], [b, a]] as const) {
        const started = await messaging.createMessageGroup({ sender, recipient, message: `again from ${sender.handle}` })
        expect(started).toMatchObject({ created: false, messageGroupUuid: target })
      }
      const items = await state(table.tableName)
      expect(items.filter((item) => item.pk === `MSG#${derived}`)).toEqual([{ pk: `MSG#${derived}`, sk: '#CONVERSATION', linked_message_group_uuid: target }])
    }
  })
})

describe('adopt again, or after an interruption', async () => {
  const reference = await bootcamp('reference', { seed: 7 })
  await adoptTable({ client, tableName: reference.tableName, ...fast })
  const adopted = await state(reference.tableName)

  it('a second adopt writes nothing', async () => {
    const again = await adoptTable({ client, tableName: reference.tableName, ...fast })
    expect(await state(reference.tableName)).toEqual(adopted)
    expect(again).toMatchObject({
      migrated: 0,
      written: { conversations: 0, memberships: 0, rows: 0 },
      deleted: { rows: 0, membersItems: 0 },
      pairs: { linked: 0, moved: 0, alreadyLinked: 7 },
      table: { streamEnabled: false, indexesCreated: [] },
      changed: { messageGroupUuids: [], userUuids: [] }
    })
  })

  it.each([1, 4, 7])('stopped after %i conversations and run again, ends exactly as an uninterrupted run', async (conversations) => {
    const table = await bootcamp(`cut${conversations}`, { seed: 7 })
    // Once that many conversations' transactions went through, every request fails, as if the process died there.
    const death = dieAfterWrites(conversations, /TransactWrite/)
    wire.proxy.setRules([death.rule])
    const cut = await adoptTable({ client: wire.client, tableName: table.tableName, concurrency: 1, ...fast }).then(
      (r) => r,
      (error: unknown) => error
    )
    expect(death.written(), String(cut instanceof Error ? cut.stack : JSON.stringify(cut))).toBe(conversations)
    if (!(cut instanceof Error)) expect((cut as AdoptTableResult).failed.length).toBeGreaterThan(0)
    const half = await state(table.tableName)
    expect(half.filter((item) => item.sk === '#CONVERSATION' && item.kind === 'direct')).toHaveLength(conversations)
    const rest = await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(rest.migrated).toBe(table.conversations.length - conversations)
    expect(await state(table.tableName)).toEqual(adopted)
  })

  it('is throttled, not broken: injected ProvisionedThroughputExceededException is retried and it completes', async () => {
    const table = await bootcamp('throttled', { seed: 7 })
    const data = ['Scan', 'Query', 'GetItem', 'BatchGetItem', 'PutItem', 'DeleteItem', 'TransactWriteItems', 'UpdateItem', 'UpdateTable']
    wire.proxy.setRules([{ fault: 'throughput', operations: data, rate: 1 / 3 }])
    const result = await adoptTable({ client: wire.client, tableName: table.tableName, ...fast, retry: { maxRetries: 12, baseDelayMs: 1 } })
    const throttled = Object.values(wire.proxy.stats.faults).reduce((a, b) => a + b, 0)
    expect(throttled).toBeGreaterThan(10)
    expect(result.failed).toEqual([])
    expect(result.throttleRetries).toBe(throttled)
    expect(await state(table.tableName)).toEqual(adopted)
  })
})

describe("adopt a table this library's 0.2 made", async () => {
  const tableName = `adopt-02-${randomUUID().slice(0, 8)}`
  track(tableName)
  const table = await writeLibrary02Table(client, { tableName })
  const before = await state(tableName)
  const dry = await adoptTable({ client, tableName, dryRun: true, ...fast })
  const unchanged = await state(tableName)
  const result = await adoptTable({ client, tableName, ...fast })

  it('a dry run writes nothing and predicts the run', () => {
    expect(unchanged).toEqual(before)
    const { dryRun: _d, table: _dt, ...dryCounts } = dry
    const { dryRun: _r, table: _rt, ...counts } = result
    expect(dryCounts).toEqual(counts)
  })

  it('keeps its unread-index (with a note), creates inbox-index, leaves message-group-sk-index unused', async () => {
    expect(result.table).toMatchObject({ streamEnabled: false, indexesCreated: ['inbox-index'], unusedIndexes: ['message-group-sk-index'] })
    expect(result.table.notes).toEqual([expect.stringContaining('index unread-index of')])
    expect(await indexesOf(tableName)).toEqual(['inbox-index', 'message-group-sk-index', 'unread-index'])
  })

  it('carries every read marker over and recounts every count (capped at 100), from the newest message', async () => {
    const items = await state(tableName)
    expect(layoutViolations(items, table.conversations)).toEqual([])
    for (const c of table.conversations) expect(messagesOf(items, c.messageGroupUuid)).toEqual(messagesOf(before, c.messageGroupUuid))
    const [delenn] = table.started.participants
    expect(items.find((item) => item.pk === `GRP#${delenn.uuid}` && item.sk === `MSG#${table.started.messageGroupUuid}`)?.unread_count).toBe(100)
    expect(items.filter((item) => item.sk === '#MEMBERS' || (String(item.pk).startsWith('GRP#') && !String(item.sk).startsWith('MSG#')))).toEqual([])
    expect(result).toMatchObject({
      conversations: 9,
      migrated: 9,
      written: { conversations: 9, memberships: 18, rows: 18 },
      deleted: { rows: 18, membersItems: 9 },
      pairs: { linked: 0, moved: 7, alreadyLinked: 0, startedByLibrary: 0 },
      failed: [],
      unresolved: []
    })
  })

  it("moves 0.2's pair links to #CONVERSATION with their targets, so both kinds of pair continue their conversation", async () => {
    const items = await state(tableName)
    for (const [pair, target] of Object.entries(table.links)) {
      expect(items.filter((item) => item.pk === `MSG#${pair}`)).toEqual([{ pk: `MSG#${pair}`, sk: '#CONVERSATION', linked_message_group_uuid: target }])
    }
    const messaging = createMessaging({ client, tableName })
    const [delenn, ivanova] = table.started.participants
    expect(await messaging.createMessageGroup({ sender: ivanova, recipient: delenn, message: 'again' })).toMatchObject({
      created: false,
      messageGroupUuid: table.started.messageGroupUuid
    })
    const [pair, target] = Object.entries(table.links)[0]!
    const linked = table.conversations.find((c) => c.messageGroupUuid === target)!
    expect(messageGroupUuidFor(linked.participants[0].uuid, linked.participants[1].uuid)).toBe(pair)
    expect(await messaging.createMessageGroup({ sender: linked.participants[1], recipient: linked.participants[0], message: 'hi' })).toMatchObject({
      created: false,
      messageGroupUuid: target
    })
    expect(await messaging.countUnread({ userUuid: delenn.uuid })).toMatchObject({ messages: expect.any(Number) })
  })

  it('a second run writes nothing', async () => {
    const items = await state(tableName)
    const again = await adoptTable({ client, tableName, ...fast })
    expect(await state(tableName)).toEqual(items)
    expect(again).toMatchObject({ migrated: 0, pairs: { moved: 0, alreadyLinked: 7 }, changed: { messageGroupUuids: [], userUuids: [] } })
  })
})

describe('old-layout code still writing after adopt', () => {
  it('reports old-layout rows written after it, and brings them in line on a re-run (the dry run first, writing nothing)', async () => {
    const table = await bootcamp('late', { seed: 3 })
    await adoptTable({ client, tableName: table.tableName, ...fast })
    const c = table.conversations.find((c) => c.damage === 'behind')!
    const [creator, recipient] = c.participants
    // The old app still runs: a message, and the old stream function re-putting a row it read before adopt deleted it.
    const at = pythonIso('2030-02-02T00:00:00.500000Z')
    await bootcampSend(table.tableName, c, 1, 'late reply', at)
    await doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: `GRP#${creator.uuid}`, sk: at, message_group_uuid: c.messageGroupUuid, message: 'late reply', user_uuid: recipient.uuid, user_display_name: recipient.displayName, user_handle: recipient.handle }
      })
    )
    // And it starts a conversation of its own, as create_message_group does (two rows and the message, random id).
    const fresh: BootcampConversation = {
      messageGroupUuid: randomUUID(),
      participants: [table.users[2]!, table.users[5]!],
      messages: [{ sk: pythonIso('2030-02-03T00:00:00.250000Z'), text: 'new on the old app', sender: table.users[2]!, messageUuid: randomUUID() }],
      damage: 'none'
    }
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table.tableName]: itemsOf(fresh).map((Item) => ({ PutRequest: { Item } })) } }))

    const before = await state(table.tableName)
    const dry = await adoptTable({ client, tableName: table.tableName, dryRun: true, ...fast })
    expect(await state(table.tableName)).toEqual(before)
    const again = await adoptTable({ client, tableName: table.tableName, ...fast })
    const { dryRun: _d, table: _dt, ...dryCounts } = dry
    const { dryRun: _r, table: _rt, ...counts } = again
    expect(dryCounts).toEqual(counts)
    expect(again).toMatchObject({
      migrated: 2,
      written: { conversations: 1, memberships: 2, rows: 2 },
      deleted: { rows: 3, membersItems: 0 },
      updated: 2,
      writtenAfterAdopt: { items: 1, messageGroupUuids: [c.messageGroupUuid] },
      failed: []
    })
    const items = await state(table.tableName)
    const late = { ...bootcampModel(c), messages: [...c.messages, { sk: at, text: 'late reply', sender: recipient, messageUuid: '' }] }
    expect(layoutViolations(items, [late, bootcampModel(fresh)], { anyRev: true })).toEqual([])
    // A third run has nothing left to do.
    const third = await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(await state(table.tableName)).toEqual(items)
    expect(third).toMatchObject({ migrated: 0, writtenAfterAdopt: { items: 0 }, changed: { userUuids: [] } })
  })

})

describe('what adopt refuses, and what it cannot name', () => {
  it('bad options: a ValidationError, nothing read or written', async () => {
    const table = await bootcamp('bad-options')
    const before = await state(table.tableName)
    for (const options of [{ concurrency: 0 }, { dryRun: 'yes' }, { pageSize: 1.5 }, { waitTimeoutMs: -1 }]) {
      await expect(adoptTable({ client, tableName: table.tableName, ...(options as object) })).rejects.toBeInstanceOf(ValidationError)
    }
    expect(await state(table.tableName)).toEqual(before)
  })

  it('says exactly what is wrong with an index and changes nothing (the stream stays off)', async () => {
    const table = await bootcamp('wrong-index')
    // An inbox-index of the right key that keeps only the keys: Pattern B would have nothing to show.
    await client.send(
      new UpdateTableCommand({
        TableName: table.tableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'last_sk', AttributeType: 'S' }
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'inbox-index',
              KeySchema: [
                { AttributeName: 'pk', KeyType: 'HASH' },
                { AttributeName: 'last_sk', KeyType: 'RANGE' }
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
    expect((error as TableLayoutError).problems).toEqual([expect.stringMatching(/^index inbox-index of .* projects KEYS_ONLY; the library needs ALL/)])
    expect(await state(table.tableName)).toEqual(before)
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }))
    expect(Table?.StreamSpecification?.StreamEnabled).not.toBe(true)
  })

  it('leaves a conversation whose recipient nothing names, says why; membership items written by hand let a re-run migrate it', async () => {
    const table = await bootcamp('unnameable', { unnameable: true })
    const odd = table.conversations.find((c) => c.damage === 'unnameable')!
    const [creator, recipient] = odd.participants
    const before = await state(table.tableName)
    const result = await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(result.unresolved).toEqual([{ messageGroupUuid: odd.messageGroupUuid, reason: `nothing names the display name and handle of ${recipient.uuid}` }])
    const items = await state(table.tableName)
    expect(itemsOfConversation(items, odd.messageGroupUuid)).toEqual(itemsOfConversation(before, odd.messageGroupUuid))
    expect(layoutViolations(items, table.conversations.filter((c) => c !== odd).map(bootcampModel))).toEqual([])

    for (const member of [creator, recipient]) {
      await doc.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { pk: `MSG#${odd.messageGroupUuid}`, sk: `#MEMBER#${member.uuid}`, user_display_name: member.displayName, user_handle: member.handle, joined_at: timeOfSortKey(odd.messages[0]!.sk) }
        })
      )
    }
    const again = await adoptTable({ client, tableName: table.tableName, ...fast })
    expect(again).toMatchObject({ migrated: 1, unresolved: [], written: { conversations: 1, memberships: 0, rows: 2 } })
    expect(layoutViolations(await state(table.tableName), [bootcampModel(odd)])).toEqual([])
  })

  it('a conversation migrated by another run meanwhile is left as it is', async () => {
    const table = await bootcamp('twice', { seed: 9 })
    const [first, second] = await Promise.all([
      adoptTable({ client, tableName: table.tableName, ...fast }),
      adoptTable({ client, tableName: table.tableName, ...fast })
    ])
    expect([...first.failed, ...second.failed]).toEqual([])
    expect(first.migrated + second.migrated).toBeGreaterThanOrEqual(table.conversations.length)
    expect(layoutViolations(await state(table.tableName), table.conversations.map(bootcampModel))).toEqual([])
  })

  it('deletes no old row that changed after it was read: the transaction is refused, and it decides again from the change', async () => {
    const table = await bootcamp('changed-row', { seed: 4 })
    const c = table.conversations.find((c) => c.damage === 'seed')!
    const [andrew] = c.participants
    const filler = itemsOf(c).find((item) => item.pk!.S === `GRP#${andrew.uuid}`)!
    // While its transaction is on the wire, other code marks Andrew's old row read up to the first message.
    let changed: Promise<unknown> | undefined
    wire.proxy.setRules([
      {
        fault: 'latency',
        latencyMs: 300,
        operations: ['TransactWriteItems'],
        times: 1,
        match: (body) => {
          if (!JSON.stringify(body).includes(c.messageGroupUuid)) return false
          changed = doc.send(
            new UpdateCommand({
              TableName: table.tableName,
              Key: { pk: filler.pk!.S, sk: filler.sk!.S },
              UpdateExpression: 'SET last_read_sk = :m',
              ExpressionAttributeValues: { ':m': c.messages[0]!.sk }
            })
          )
          return true
        }
      }
    ])
    const result = await adoptTable({ client: wire.client, tableName: table.tableName, concurrency: 1, ...fast })
    await changed
    expect(changed).toBeDefined()
    expect(result.failed).toEqual([])
    // Read up to the first message, then his own newest (the 15th): the 16th, Bayko's, is unread.
    const model = { ...bootcampModel(c), markers: { ...bootcampModel(c).markers, [andrew.uuid]: c.messages[0]!.sk } }
    expect(layoutViolations(await state(table.tableName), [model])).toEqual([])
  })
})
