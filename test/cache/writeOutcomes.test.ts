// Every write tells the cache, also when its outcome is unknown (issue 17). Each test caches a page through the public
// API, makes one write against DynamoDB Local (an answer lost on the wire by the fault proxy, an adopted bootcamp
// conversation, a count corrupted by hand), and checks what the next cached read returns.
import { describe, expect, it } from 'vitest'
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { ulid } from 'ulid'
import { adoptTable, repairTable } from '../../src/admin/index.js'
import { memoryCache } from '../../src/cache/index.js'
import { createMessaging, createStreamHandler, type MessagingClient } from '../../src/index.js'
import { bootcampTables } from '../support/bootcampTables.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { insertRecordOf } from '../support/streamRecords.js'
import { wireFaults } from '../support/wireFaults.js'

const { client, tableName } = await testTable('cache-write-outcomes')
const { bootcamp } = bootcampTables('cache-write-outcomes')
// The SDK retries as in production (3 attempts), so an answer lost after the engine acted is retried.
const wire = await wireFaults({ maxAttempts: 3 })
const fast = { retry: { baseDelayMs: 1 } }
const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems']

/** The API through the fault proxy, with its own cache. */
const throughProxy = () => createMessaging({ client: wire.client, tableName, cache: memoryCache() })

/** What `userUuid`'s conversation list (read through the cache) says of one conversation. */
async function listed(messaging: MessagingClient, userUuid: string, messageGroupUuid: string) {
  const { items } = await messaging.listMessageGroups({ userUuid })
  const group = items.find((item) => item.messageGroupUuid === messageGroupUuid)
  return group && { lastMessage: group.lastMessage, unreadCount: group.unreadCount }
}

/** A conversation with two messages from Alice; Bob's row shows both unread. */
async function conversation(messaging: MessagingClient) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'one' })
  const second = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'two' })
  await messaging.updateMessageGroups(second) // Pattern D, as the stream handler would run it
  return { messageGroupUuid, alice, bob, second }
}

describe('a write whose answer was lost still invalidates', () => {
  it('markRead: the UpdateItem is applied, its answer lost, the retry fails its condition; the cached list shows 0 unread', async () => {
    const messaging = throughProxy()
    const { messageGroupUuid, bob } = await conversation(messaging)
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 2 }) // cached

    wire.proxy.setRules([{ fault: 'lostAnswer', operations: ['UpdateItem'], times: 1 }])
    const result = await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
    expect(wire.proxy.stats.faults['UpdateItem:lostAnswer']).toBe(1) // the fault happened
    expect(result.unreadCount).toBe(0)
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 0 })
  })

  it('updateMessageGroups: every answer of the row write lost, so it throws; the cached lists show the new message', async () => {
    const messaging = throughProxy()
    const { messageGroupUuid, alice, bob } = await conversation(messaging)
    const third = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'three' })
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 2 }) // cached

    wire.proxy.setRules([{ fault: 'lostAnswer', operations: WRITES }])
    await expect(messaging.updateMessageGroups(third, { baseDelayMs: 1 })).rejects.toThrow()
    wire.proxy.setRules([])
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'three', unreadCount: 3 })
    expect(await listed(messaging, alice.uuid, messageGroupUuid)).toEqual({ lastMessage: 'three', unreadCount: 0 })
  })

  it('the stream handler: every answer of the row write lost, so the record fails; the cached lists already show it', async () => {
    const cache = memoryCache()
    const messaging = createMessaging({ client, tableName, cache })
    const { messageGroupUuid, alice, bob } = await conversation(messaging)
    const third = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'three' })
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 2 }) // cached

    wire.proxy.setRules([{ fault: 'lostAnswer', operations: WRITES }])
    const handler = createStreamHandler({ client: wire.client, tableName, cache, maxAttempts: 1 })
    const record = insertRecordOf(third, 1)
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber! }] })
    wire.proxy.setRules([])
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'three', unreadCount: 3 })
  })

  it('createMessage: every answer of the put lost, so it throws; the cached page shows the message, and a retry answers with it', async () => {
    const messaging = throughProxy()
    const { messageGroupUuid, alice } = await conversation(messaging)
    const newest = async () => (await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })).items[0]?.message
    expect(await newest()).toBe('two') // cached

    const send = { messageGroupUuid, sender: alice, message: 'three', messageId: ulid() }
    wire.proxy.setRules([{ fault: 'lostAnswer', operations: ['PutItem'] }])
    await expect(messaging.createMessage(send)).rejects.toThrow()
    wire.proxy.setRules([])
    expect(await newest()).toBe('three')
    expect(await messaging.createMessage(send)).toMatchObject({ message: 'three' })
    expect(await newest()).toBe('three')
  })

  it('repairTable: every answer of the row write lost, so the conversation fails; the cached lists show the repair', async () => {
    const cache = memoryCache()
    const messaging = createMessaging({ client, tableName, cache })
    const { messageGroupUuid, alice, bob } = await conversation(messaging)
    await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'three' }) // no Pattern D: rows behind
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 2 }) // cached

    wire.proxy.setRules([{ fault: 'lostAnswer', operations: WRITES }])
    const result = await repairTable({ client: wire.client, tableName, scope: { messageGroupUuid }, cache, ...fast })
    wire.proxy.setRules([])
    expect(result.failed.map((f) => f.messageGroupUuid)).toEqual([messageGroupUuid])
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'three', unreadCount: 3 })
  })
})

describe('createMessageGroup into an adopted bootcamp conversation', () => {
  it("marks the adopted conversation's cached pages stale, not only the pair's derived id", async () => {
    const table = await bootcamp('adopted', { seed: 9 })
    await adoptTable({ client, tableName: table.tableName, pollIntervalMs: 10, ...fast })
    const adopted = table.conversations.find((c) => c.damage === 'none' && c.participants[0].handle === 'delenn')!
    const [delenn, sheridan] = adopted.participants
    const messaging = createMessaging({ client, tableName: table.tableName, cache: memoryCache() })
    const newestText = async () => (await messaging.listMessages({ messageGroupUuid: adopted.messageGroupUuid, viewerUuid: delenn.uuid })).items[0]?.message
    expect(await newestText()).toBe('Good.') // cached

    const started = await messaging.createMessageGroup({ sender: sheridan, recipient: delenn, message: 'About the council.' })
    expect(started).toMatchObject({ messageGroupUuid: adopted.messageGroupUuid, created: false })
    expect(await newestText()).toBe('About the council.')
  })
})

describe('repairTable correcting an unread count in place', () => {
  it('counts and reports the correction (the dry run too) and marks the owner\'s cached list stale', async () => {
    const cache = memoryCache()
    const messaging = createMessaging({ client, tableName, cache })
    const { messageGroupUuid, bob } = await conversation(messaging)
    // Corrupt Bob's count by a direct write: his row stays at the newest message.
    const row = (await scanAll(client, tableName)).find((item) => item.pk === `GRP#${bob.uuid}` && item.sk === `MSG#${messageGroupUuid}`)!
    await DynamoDBDocumentClient.from(client).send(
      new UpdateCommand({ TableName: tableName, Key: { pk: row.pk, sk: row.sk }, UpdateExpression: 'SET unread_count = :n', ExpressionAttributeValues: { ':n': 7 } })
    )
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 7 }) // cached

    const repair = (dryRun: boolean) => repairTable({ client, tableName, scope: { messageGroupUuid }, cache, dryRun, ...fast })
    const expected = {
      rows: { moved: 0, removed: 0, recreated: 0, corrected: 1 },
      changed: { messageGroupUuids: [messageGroupUuid], userUuids: expect.arrayContaining([bob.uuid]) },
      failed: []
    }
    const dry = await repair(true)
    expect(dry).toMatchObject({ dryRun: true, ...expected })
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 7 }) // nothing written

    expect(await repair(false)).toMatchObject({ dryRun: false, ...expected })
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 2 })
    expect(await repair(false)).toMatchObject({ rows: { moved: 0, removed: 0, recreated: 0, corrected: 0 }, changed: { userUuids: [] } })
  })
})
