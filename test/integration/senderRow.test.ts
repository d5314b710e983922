import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createMessaging, createStreamHandler, rowKey, type Message, type MessagingClient } from '../../src/index.js'
import { engineClient, testTable, user } from '../support/engine.js'
import { injectFaults } from '../support/faults.js'
import { rowOf, rowView } from '../support/layout.js'
import { insertRecordOf } from '../support/streamRecords.js'
import { wireFaults } from '../support/wireFaults.js'

// Issue 18, item 4: when createMessage or createMessageGroup returns, the sender's own row already shows the message
// (a conditional UpdateItem in the request), so a list the sender reloads at once shows it; the stream then finds that
// row current and does not write it again. `updateSenderRow: false` turns the write off.
const { client: admin, tableName } = await testTable('sender-row')
const counted = engineClient()
afterAll(() => counted.destroy())
const writes: Array<{ name: string; pk: unknown }> = []
injectFaults(counted, (name, input) => {
  if (/^(Put|Update|Delete|TransactWrite)/.test(name)) writes.push({ name, pk: (input.Key as { pk?: unknown } | undefined)?.pk })
  return undefined
})
beforeEach(() => void (writes.length = 0))
const messaging = createMessaging({ client: counted, tableName })
const quiet = createMessaging({ client: counted, tableName, updateSenderRow: false })
const handler = createStreamHandler({ client: counted, tableName })
let sequence = 1
const deliver = (...messages: Message[]) => handler({ Records: messages.map((message) => insertRecordOf(message, sequence++)) })

async function pair(through: MessagingClient = messaging) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message } = await through.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  await deliver(message)
  writes.length = 0
  return { messageGroupUuid, alice, bob, first: message }
}
const listed = async (through: MessagingClient, userUuid: string) =>
  (await through.listMessageGroups({ userUuid })).items.map((group) => [group.lastMessage, group.unreadCount, group.lastReadSortKey])

describe("the sender's own row in the send", () => {
  it('shows a reply in the list the sender reloads at once, before any stream; the stream then writes only the other row', async () => {
    const { messageGroupUuid, alice, bob } = await pair()
    const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'just sent' })
    expect(await listed(messaging, bob.uuid)).toEqual([['just sent', 0, reply.sortKey]])
    expect(await listed(messaging, alice.uuid)).toEqual([['hi', 0, expect.any(String)]]) // alice's follows by the stream
    expect(writes).toEqual([
      { name: 'PutItemCommand', pk: undefined },
      { name: 'UpdateItemCommand', pk: `GRP#${bob.uuid}` }
    ])
    writes.length = 0
    await deliver(reply)
    expect(writes).toEqual([{ name: 'UpdateItemCommand', pk: `GRP#${alice.uuid}` }])
    expect(await listed(messaging, alice.uuid)).toEqual([['just sent', 1, expect.any(String)]])
  })

  it('marks read up to the send: what the sender had unread is gone from their count and badge at once', async () => {
    const { messageGroupUuid, alice, bob } = await pair()
    for (const text of ['one', 'two']) await deliver(await messaging.createMessage({ messageGroupUuid, sender: alice, message: text }))
    expect(await messaging.countUnread({ userUuid: bob.uuid })).toEqual({ conversations: 1, messages: 3 })
    await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'caught up' })
    expect(await listed(messaging, bob.uuid)).toEqual([['caught up', 0, expect.any(String)]])
    expect(await messaging.countUnread({ userUuid: bob.uuid })).toEqual({ conversations: 0, messages: 0 })
  })

  it('createMessageGroup into a conversation the pair has: the sender\'s row shows the message when it returns', async () => {
    const { alice, bob } = await pair()
    const again = await messaging.createMessageGroup({ sender: bob, recipient: alice, message: 'by handle' })
    expect(again.created).toBe(false)
    expect(await listed(messaging, bob.uuid)).toEqual([['by handle', 0, again.message.sortKey]])
  })

  it('never moves the row back: a send whose key is older than what the row shows (a slow clock) leaves it', async () => {
    const { messageGroupUuid, alice, bob } = await pair()
    const newer = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'newer' })
    await deliver(newer)
    const slow = createMessaging({ client: counted, tableName, now: () => new Date(Date.parse(newer.createdAt) - 1) })
    const late = await slow.createMessage({ messageGroupUuid, sender: bob, message: 'late' })
    expect(late.sortKey < newer.sortKey).toBe(true)
    // The condition failed: the row still shows 'newer', with 'hi' and 'newer' unread; the stream settles the late
    // message, which marks bob's reading up to it.
    expect(rowView(await rowOf(admin, tableName, bob.uuid, messageGroupUuid))).toMatchObject({ lastSk: newer.sortKey, message: 'newer', unreadCount: 2 })
    await deliver(late)
    expect(rowView(await rowOf(admin, tableName, bob.uuid, messageGroupUuid))).toMatchObject({ lastSk: newer.sortKey, lastReadSk: late.sortKey, unreadCount: 1 })
  })

  it('gives no row back to a sender whose row is gone (other code deleted it): the send stands, no row is made', async () => {
    const { messageGroupUuid, bob } = await pair()
    await DynamoDBDocumentClient.from(admin).send(new DeleteCommand({ TableName: tableName, Key: rowKey(bob.uuid, messageGroupUuid) }))
    const sent = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'still sent' })
    expect(sent.message).toBe('still sent')
    expect(await rowOf(admin, tableName, bob.uuid, messageGroupUuid)).toBeUndefined()
  })

  it('is best effort: a send whose row write fails still returns, and the stream brings the row', async () => {
    const { proxy, client } = await wireFaults()
    const { messageGroupUuid, bob } = await pair()
    const flaky = createMessaging({ client, tableName })
    proxy.setRules([{ fault: 'throughput', operations: ['UpdateItem'] }])
    const sent = await flaky.createMessage({ messageGroupUuid, sender: bob, message: 'row later' })
    expect(proxy.stats.faults).toEqual({ 'UpdateItem:throughput': 1 })
    expect((await rowOf(admin, tableName, bob.uuid, messageGroupUuid))?.message).toBe('hi')
    proxy.setRules([])
    await deliver(sent)
    expect(rowView(await rowOf(admin, tableName, bob.uuid, messageGroupUuid))).toMatchObject({ message: 'row later', unreadCount: 0, lastReadSk: sent.sortKey })
  })
})

describe('updateSenderRow: false', () => {
  it('leaves the sender\'s row to the stream, which then writes both rows', async () => {
    const { messageGroupUuid, alice, bob } = await pair(quiet)
    const reply = await quiet.createMessage({ messageGroupUuid, sender: bob, message: 'from the stream' })
    expect(writes).toEqual([{ name: 'PutItemCommand', pk: undefined }])
    expect(await listed(quiet, bob.uuid)).toEqual([['hi', 1, undefined]])
    writes.length = 0
    await deliver(reply)
    expect(writes.map((write) => write.pk).sort()).toEqual([`GRP#${alice.uuid}`, `GRP#${bob.uuid}`].sort())
    expect(await listed(quiet, bob.uuid)).toEqual([['from the stream', 0, reply.sortKey]])
  })

  it('also for createMessageGroup into an existing conversation', async () => {
    const { alice, bob } = await pair(quiet)
    await quiet.createMessageGroup({ sender: bob, recipient: alice, message: 'not yet shown' })
    // The start, cancelled (the pair talks already), then the message: no row written.
    expect(writes.map((write) => write.name)).toEqual(['TransactWriteItemsCommand', 'PutItemCommand'])
    expect(await listed(quiet, bob.uuid)).toEqual([['hi', 1, undefined]])
  })
})
