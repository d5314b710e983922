import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { monotonicFactory } from 'ulid'
import {
  createMessaging,
  createStreamHandler,
  MissingIndexError,
  NotAMemberError,
  tableDefinition,
  UNREAD_COUNT_CAP,
  UNREAD_INDEX,
  type AppliedConversation,
  type Message,
  type MessagingClient
} from '../../src/index.js'
import { dropTestTable, scanAll, testTable, user } from '../support/engine.js'
import { faultyClient } from '../support/faults.js'
import { validationCodesWithoutWrites } from '../support/rejections.js'
import { deliverLikeLambda, insertRecordOf } from '../support/streamRecords.js'

const { client: admin, tableName } = await testTable('unread')
const writes: string[] = []
const faults = faultyClient((name) => {
  if (/^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(name)) writes.push(name)
})
const messaging = createMessaging({ client: faults.client, tableName })
const handler = createStreamHandler({ client: faults.client, tableName })

let sequence = 1
/** Alice starts a conversation with Bob; `replies` then alternate Bob, Alice, Bob… (each applied by the stream). */
async function conversation(replies: number, client: MessagingClient = messaging) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message: first } = await client.createMessageGroup({ sender: alice, recipient: bob, message: 'm0' })
  const messages: Message[] = [first]
  for (let i = 1; i <= replies; i++) {
    const sent = await client.createMessage({ messageGroupUuid, sender: i % 2 ? bob : alice, message: `m${i}` })
    messages.push(sent)
    await handler({ Records: [insertRecordOf(sent, sequence++)] })
  }
  return { messageGroupUuid, alice, bob, messages }
}

const listed = async (userUuid: string) => (await messaging.listMessageGroups({ userUuid })).items

describe('unread counts and read markers', () => {
  it('starts a conversation read for its sender and with one unread message for the recipient', async () => {
    const { messageGroupUuid, alice, bob, messages } = await conversation(0)
    expect(await listed(alice.uuid)).toEqual([
      expect.objectContaining({ messageGroupUuid, unreadCount: 0, lastReadAt: messages[0]!.createdAt, lastReadSortKey: messages[0]!.sortKey })
    ])
    const [bobs] = await listed(bob.uuid)
    expect(bobs).toMatchObject({ messageGroupUuid, unreadCount: 1 })
    expect(bobs).not.toHaveProperty('lastReadAt')
    expect(await messaging.countUnread({ userUuid: bob.uuid })).toEqual({ conversations: 1, messages: 1 })
    expect(await messaging.countUnread({ userUuid: alice.uuid })).toEqual({ conversations: 0, messages: 0 })
  })

  it('counts the other participant\'s messages as the stream applies them; sending marks read up to one\'s own message', async () => {
    const { alice, bob, messages } = await conversation(4) // bob m1, alice m2, bob m3, alice m4
    expect((await listed(alice.uuid))[0]).toMatchObject({ unreadCount: 0, lastReadSortKey: messages[4]!.sortKey })
    expect((await listed(bob.uuid))[0]).toMatchObject({ unreadCount: 1, lastReadSortKey: messages[3]!.sortKey })
  })

  it('markRead: by default up to the newest message, in one conditional write; a repeat writes nothing', async () => {
    const { messageGroupUuid, bob, messages } = await conversation(2) // alice m0, bob m1, alice m2: one unread for bob
    writes.length = 0
    const read = await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
    expect(read).toEqual({
      messageGroupUuid,
      userUuid: bob.uuid,
      changed: true,
      unreadCount: 0,
      lastReadAt: messages[2]!.createdAt,
      lastReadSortKey: messages[2]!.sortKey
    })
    expect(writes).toEqual(['UpdateItemCommand'])
    writes.length = 0
    expect(await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid.toUpperCase() })).toEqual({ ...read, changed: false })
    expect(writes).toEqual([])
    expect((await listed(bob.uuid))[0]).toMatchObject({ unreadCount: 0, lastReadAt: messages[2]!.createdAt })
  })

  it('markRead up to a message counts what follows it, and never moves the marker back', async () => {
    const { messageGroupUuid, alice, bob, messages } = await conversation(0)
    for (const text of ['m1', 'm2', 'm3']) {
      const sent = await messaging.createMessage({ messageGroupUuid, sender: alice, message: text })
      messages.push(sent)
      await handler({ Records: [insertRecordOf(sent, sequence++)] })
    }
    expect((await listed(bob.uuid))[0]?.unreadCount).toBe(4)
    expect(await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid, upTo: messages[1]!.sortKey })).toMatchObject({
      changed: true,
      unreadCount: 2,
      lastReadSortKey: messages[1]!.sortKey
    })
    expect(await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid, upTo: messages[0]!.sortKey })).toMatchObject({
      changed: false,
      unreadCount: 2,
      lastReadSortKey: messages[1]!.sortKey
    })
    expect(await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })).toMatchObject({ changed: true, unreadCount: 0 })
    const next = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'm4' })
    await handler({ Records: [insertRecordOf(next, sequence++)] })
    expect((await listed(bob.uuid))[0]).toMatchObject({ unreadCount: 1, lastReadSortKey: messages[3]!.sortKey })
  })

  it('markRead past the newest message stops at it: a key from the future cannot mark messages not yet sent', async () => {
    const { messageGroupUuid, alice, bob, messages } = await conversation(0)
    const read = await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid, upTo: '9999-12-31T23:59:59.999Z#7ZZZZZZZZZZZZZZZZZZZZZZZZZ' })
    expect(read).toMatchObject({ changed: true, unreadCount: 0, lastReadSortKey: messages[0]!.sortKey })
    const next = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'and another' })
    await handler({ Records: [insertRecordOf(next, sequence++)] })
    expect((await listed(bob.uuid))[0]?.unreadCount).toBe(1)
  })

  it('markRead before the stream applied the newest message: read ahead of the row, and only what follows counts', async () => {
    const { messageGroupUuid, alice, bob } = await conversation(0)
    const unapplied = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'seen in the open chat' })
    expect(await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })).toMatchObject({ unreadCount: 0, lastReadSortKey: unapplied.sortKey })
    const after = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'new' })
    expect(await handler({ Records: [insertRecordOf(unapplied, sequence++), insertRecordOf(after, sequence++)] })).toEqual({ batchItemFailures: [] })
    expect((await listed(bob.uuid))[0]).toMatchObject({ unreadCount: 1, lastReadSortKey: unapplied.sortKey, lastMessage: 'new' })
  })

  it('markRead refuses strangers with the one answer for "no such conversation" and bad input, writing nothing', async () => {
    const { messageGroupUuid, bob } = await conversation(0)
    const stranger = user('stranger')
    const before = await scanAll(admin, tableName)
    const errors = await Promise.all([
      messaging.markRead({ messageGroupUuid, userUuid: stranger.uuid }).catch((error: unknown) => error),
      messaging.markRead({ messageGroupUuid: randomUUID(), userUuid: bob.uuid }).catch((error: unknown) => error)
    ])
    for (const error of errors) expect(error).toBeInstanceOf(NotAMemberError)
    expect(await scanAll(admin, tableName)).toEqual(before)
    const codes = (input: unknown) => validationCodesWithoutWrites(admin, tableName, () => messaging.markRead(input as never))
    expect(await codes({ messageGroupUuid, userUuid: bob.uuid, upTo: '#MEMBERS' })).toEqual(['up_to_invalid'])
    expect(await codes({ messageGroupUuid: 'nope', userUuid: 7, upTo: 3 })).toEqual(['message_group_uuid_invalid', 'user_uuid_invalid', 'up_to_invalid'])
    expect(await codes(undefined)).toEqual(['input_missing', 'message_group_uuid_invalid', 'user_uuid_invalid'])
    expect(await validationCodesWithoutWrites(admin, tableName, () => messaging.countUnread({ userUuid: 'x' } as never))).toEqual(['user_uuid_invalid'])
  })

  it('countUnread sums a user\'s conversations with something unread, and only those', async () => {
    const carol = user('carol')
    const others = [user('dan'), user('erin'), user('fay')]
    for (const [i, other] of others.entries()) {
      const { messageGroupUuid } = await messaging.createMessageGroup({ sender: other, recipient: carol, message: 'hi' })
      for (let j = 0; j < i; j++) {
        await handler({ Records: [insertRecordOf(await messaging.createMessage({ messageGroupUuid, sender: other, message: `more ${j}` }), sequence++)] })
      }
    }
    expect(await messaging.countUnread({ userUuid: carol.uuid })).toEqual({ conversations: 3, messages: 1 + 2 + 3 })
    const listedCounts = (await listed(carol.uuid)).map((group) => group.unreadCount)
    expect(listedCounts.reduce((a, b) => a + b)).toBe(6)
    const [newest] = await listed(carol.uuid)
    await messaging.markRead({ messageGroupUuid: newest!.messageGroupUuid, userUuid: carol.uuid })
    expect(await messaging.countUnread({ userUuid: carol.uuid })).toEqual({ conversations: 2, messages: 6 - newest!.unreadCount })
  })

  it('caps a count at 100 ("100 or more") and counts exactly below it, through markRead and redelivery', async () => {
    const { messageGroupUuid, alice, bob } = await conversation(0)
    const sent: Message[] = []
    for (let i = 0; i < 130; i++) sent.push(await messaging.createMessage({ messageGroupUuid, sender: alice, message: `burst ${i}` }))
    expect(await handler({ Records: sent.map((message) => insertRecordOf(message, sequence++)) })).toEqual({ batchItemFailures: [] })
    expect((await listed(bob.uuid))[0]).toMatchObject({ unreadCount: UNREAD_COUNT_CAP, lastMessage: 'burst 129' })
    expect(await messaging.countUnread({ userUuid: bob.uuid })).toEqual({ conversations: 1, messages: UNREAD_COUNT_CAP })
    // A recount from an early marker stays at the cap; from a late one it is exact.
    writes.length = 0
    expect(await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid, upTo: sent[5]!.sortKey })).toMatchObject({ changed: true, unreadCount: UNREAD_COUNT_CAP })
    expect(await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid, upTo: sent[120]!.sortKey })).toMatchObject({ changed: true, unreadCount: 9 })
    // A redelivery of the whole burst recounts: still exact.
    expect(await handler({ Records: sent.map((message) => insertRecordOf(message, sequence++)) })).toEqual({ batchItemFailures: [] })
    expect((await listed(bob.uuid))[0]?.unreadCount).toBe(9)
    expect(writes).toEqual(['UpdateItemCommand', 'UpdateItemCommand']) // the two markReads; the redelivery wrote nothing
  })

  it('counts a message whose write commits after a newer one\'s row move had read past its place', async () => {
    // Bob's clock is a second behind Alice's: his message sorts before hers but is written after her row move.
    let clock = new Date('2026-03-01T10:00:00.000Z')
    const ulid = monotonicFactory()
    const clocked = createMessaging({ client: faults.client, tableName, now: () => clock, newUlid: (time) => ulid(time) })
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await clocked.createMessageGroup({ sender: alice, recipient: bob, message: 'hello' })
    clock = new Date('2026-03-01T10:00:05.000Z')
    const hers = await clocked.createMessage({ messageGroupUuid, sender: alice, message: 'are you there?' })
    await handler({ Records: [insertRecordOf(hers, sequence++)] })
    clock = new Date('2026-03-01T10:00:04.000Z')
    const late = await clocked.createMessage({ messageGroupUuid, sender: alice, message: 'hello??' }) // same sender, slower server
    expect((await listed(bob.uuid))[0]?.unreadCount).toBe(2) // the late one is not counted yet: its record is not applied
    expect(await handler({ Records: [insertRecordOf(late, sequence++)] })).toEqual({ batchItemFailures: [] })
    expect((await listed(bob.uuid))[0]).toMatchObject({ unreadCount: 3, sortKey: hers.sortKey, lastMessage: 'are you there?' })
    // Delivered again: still 3.
    expect(await handler({ Records: [insertRecordOf(late, sequence++), insertRecordOf(hers, sequence++)] })).toEqual({ batchItemFailures: [] })
    expect((await listed(bob.uuid))[0]?.unreadCount).toBe(3)
  })
})

describe('onApplied', () => {
  it('is told once per conversation per batch, after the write, with each participant\'s count and the newest message', async () => {
    const one = await conversation(0)
    const two = await conversation(0)
    const calls: AppliedConversation[] = []
    const notifying = createStreamHandler({ client: faults.client, tableName, onApplied: (applied) => void calls.push(applied) })
    const a1 = await messaging.createMessage({ messageGroupUuid: one.messageGroupUuid, sender: one.alice, message: 'a1' })
    const a2 = await messaging.createMessage({ messageGroupUuid: one.messageGroupUuid, sender: one.alice, message: 'a2' })
    const b1 = await messaging.createMessage({ messageGroupUuid: two.messageGroupUuid, sender: two.bob, message: 'b1' })
    const records = [insertRecordOf(a1, sequence++), insertRecordOf(b1, sequence++), insertRecordOf(a2, sequence++)]
    expect(await notifying({ Records: records })).toEqual({ batchItemFailures: [] })
    const byGroup = (group: string) => calls.filter((call) => call.messageGroupUuid === group)
    expect(byGroup(one.messageGroupUuid)).toEqual([
      {
        messageGroupUuid: one.messageGroupUuid,
        message: expect.objectContaining({ sortKey: a2.sortKey, message: 'a2', userUuid: one.alice.uuid, handle: 'alice' }),
        participants: [
          { userUuid: one.alice.uuid, unreadCount: 0, lastReadSortKey: a2.sortKey },
          { userUuid: one.bob.uuid, unreadCount: 3 }
        ].sort((x, y) => x.userUuid.localeCompare(y.userUuid))
      }
    ])
    expect(byGroup(two.messageGroupUuid)).toHaveLength(1)
    expect(byGroup(two.messageGroupUuid)[0]!.participants.find((p) => p.userUuid === two.alice.uuid)?.unreadCount).toBe(1)
    // Delivered again (a crash between the commit and the callback): told again, the same counts.
    calls.length = 0
    expect(await notifying({ Records: records })).toEqual({ batchItemFailures: [] })
    expect(byGroup(one.messageGroupUuid).map((call) => call.participants)).toEqual([
      [
        { userUuid: one.alice.uuid, unreadCount: 0, lastReadSortKey: a2.sortKey },
        { userUuid: one.bob.uuid, unreadCount: 3 }
      ].sort((x, y) => x.userUuid.localeCompare(y.userUuid))
    ])
  })

  it('fails the conversation\'s records when it throws, so the retry calls it again; never before the rows are written', async () => {
    const { messageGroupUuid, alice, bob } = await conversation(0)
    const sent = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'ping' })
    const record = insertRecordOf(sent, sequence++)
    const seen: number[] = []
    const errors: unknown[] = []
    let throws = 1
    const notifying = createStreamHandler({
      client: faults.client,
      tableName,
      onError: (error) => errors.push(error),
      onApplied: async ({ participants }) => {
        // The rows are written by now: Bob's list shows the message, counted.
        const [bobs] = await listed(bob.uuid)
        expect(bobs?.lastMessage).toBe('ping')
        seen.push(participants.find((p) => p.userUuid === bob.uuid)!.unreadCount)
        if (throws-- > 0) throw new Error('the socket was gone')
      }
    })
    expect(await notifying({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber }] })
    expect(errors).toEqual([new Error('the socket was gone')])
    expect(await deliverLikeLambda(notifying, [record])).toBe(1)
    expect(seen).toEqual([2, 2])
  })
})

/** Waits, as one must after adding an index, until DescribeTable shows it ACTIVE (it is being built until then). */
async function indexActive(table: string, indexName: string) {
  for (let poll = 0; poll < 100; poll++) {
    const { Table } = await admin.send(new DescribeTableCommand({ TableName: table }))
    if (Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === indexName)?.IndexStatus === 'ACTIVE') return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${indexName} of ${table} did not become ACTIVE`)
}

describe('a table without unread-index (removed, or not created yet)', () => {
  it('keeps counting in the rows, and countUnread names the index to add; adding it backfills', async () => {
    const oldTable = `unread-old-${randomUUID().slice(0, 8)}`
    const definition = tableDefinition({ tableName: oldTable, billing: 'on-demand' })
    await admin.send(
      new CreateTableCommand({
        ...definition,
        AttributeDefinitions: definition.AttributeDefinitions!.filter((a) => a.AttributeName !== 'unread_owner_uuid'),
        GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes!.filter((index) => index.IndexName !== UNREAD_INDEX)
      })
    )
    try {
      const old = createMessaging({ client: admin, tableName: oldTable })
      const oldHandler = createStreamHandler({ client: admin, tableName: oldTable })
      const [andrew, bayko] = [user('andrew'), user('bayko')]
      const { messageGroupUuid, message: first } = await old.createMessageGroup({ sender: andrew, recipient: bayko, message: 'hi' })
      expect((await old.listMessageGroups({ userUuid: bayko.uuid })).items[0]?.unreadCount).toBe(1)
      const error = await old.countUnread({ userUuid: bayko.uuid }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MissingIndexError)
      expect(error).toMatchObject({ code: 'MISSING_INDEX', tableName: oldTable, indexName: UNREAD_INDEX })
      expect((error as Error).message).toMatch(/UpdateTable|adopt/)

      const reply = await old.createMessage({ messageGroupUuid, sender: andrew, message: 'still there?' })
      expect(await oldHandler({ Records: [insertRecordOf(reply, sequence++)] })).toEqual({ batchItemFailures: [] })
      expect((await old.listMessageGroups({ userUuid: bayko.uuid })).items[0]).toMatchObject({ unreadCount: 2, lastMessage: 'still there?' })
      expect((await old.listMessageGroups({ userUuid: andrew.uuid })).items[0]).toMatchObject({ unreadCount: 0, lastReadSortKey: reply.sortKey })
      expect(first.userUuid).toBe(andrew.uuid)

      // The index from tableDefinition(), added with UpdateTable; DynamoDB fills it from the rows.
      const index = definition.GlobalSecondaryIndexes!.find((candidate) => candidate.IndexName === UNREAD_INDEX)!
      await admin.send(
        new UpdateTableCommand({ TableName: oldTable, AttributeDefinitions: definition.AttributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: index }] })
      )
      await indexActive(oldTable, UNREAD_INDEX)
      expect(await old.countUnread({ userUuid: bayko.uuid })).toEqual({ conversations: 1, messages: 2 })
    } finally {
      await dropTestTable(admin, oldTable)
    }
  })
})
