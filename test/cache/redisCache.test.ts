// The cache against a real redis-server and DynamoDB Local: what is cached, what each call costs with and without a
// cache, freshness across instances, keys (prefix, TTL), a missing version, single flight, and the stale-set race.
import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Cluster } from 'ioredis'
import { createMessaging, createStreamHandler, messagePk, type MessagingClient } from '../../src/index.js'
import { redisCache, type RedisClientLike } from '../../src/cache/index.js'
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { testTable, user } from '../support/engine.js'
import { faultyClient } from '../support/faults.js'
import { cacheErrors, redisClient, scanKeys } from '../support/cache.js'
import { insertRecordOf } from '../support/streamRecords.js'
import { INDEX_SETTLE_MS } from '../../src/conversations/listMessageGroups.js'

// Compile-time: an ioredis Cluster is accepted as it is (a Redis client is, below).
export const clusterIsAccepted = (cluster: Cluster): RedisClientLike => cluster

const { client, tableName } = await testTable('cache-redis')
const prefix = `t-${randomUUID().slice(0, 8)}:`
const redis = redisClient()
const errors = cacheErrors()
// Each instance has its own ioredis connection, as separate servers would.
const cacheOf = () => redisCache({ client: redisClient(), prefix })
const instance = (dynamo = client) => createMessaging({ client: dynamo, tableName, cache: cacheOf(), onCacheError: errors.onCacheError })

const calls: Array<{ name: string; consistent: unknown; pk: unknown }> = []
const observed = faultyClient((name, input) => {
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined
  calls.push({ name, consistent: input.ConsistentRead, pk: values?.[':p_1'] ?? (input.Key as { pk?: unknown } | undefined)?.pk })
})
beforeEach(() => {
  calls.length = 0
  errors.seen.length = 0
})
const names = () => calls.map((call) => call.name)

async function conversation(messaging: MessagingClient = instance()) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob' })
  return { alice, bob, messageGroupUuid, first: message }
}

describe('without a cache, every call costs what it did', () => {
  it('sends exactly the requests it always sent: strongly consistent only where a decision needs it', async () => {
    const messaging = createMessaging({ client: observed.client, tableName })
    const { alice, bob, messageGroupUuid } = await conversation(messaging)
    expect(names()).toEqual(['TransactWriteItemsCommand'])
    calls.length = 0
    await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
    await messaging.listMessageGroups({ userUuid: alice.uuid })
    const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice' })
    await messaging.updateMessageGroups(reply)
    await messaging.getParticipants(messageGroupUuid)
    expect(calls.map(({ name, consistent }) => [name, consistent])).toEqual([
      ['GetItemCommand', true], // the viewer's membership
      ['QueryCommand', undefined], // Pattern A
      ['QueryCommand', undefined], // Pattern B, from the inbox-index
      ['GetItemCommand', true], // the sender's membership
      ['PutItemCommand', undefined],
      ['UpdateItemCommand', undefined], // the sender's own row
      ['QueryCommand', true], // Pattern D: the members
      ['BatchGetItemCommand', undefined], // their rows
      ['QueryCommand', true], // the new messages, for the counts and the preview
      ['UpdateItemCommand', undefined], // the other member's row
      ['QueryCommand', true] // getParticipants: the members
    ])
  })
})

describe('with a Redis cache', () => {
  it("serves a page again from the cache, and a send into a known conversation costs its PutItem and the sender's row", async () => {
    const messaging = createMessaging({ client: observed.client, tableName, cache: cacheOf() })
    const { alice, bob, messageGroupUuid } = await conversation(messaging)
    calls.length = 0
    const page = await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
    // The miss reads the membership (consistent, as always) and the page, strongly consistently: it fills the cache.
    expect(calls.map(({ name, consistent }) => [name, consistent])).toEqual([
      ['GetItemCommand', true],
      ['QueryCommand', true]
    ])
    calls.length = 0
    expect(await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })).toEqual(page)
    expect(await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })).toEqual(page)
    expect(names()).toEqual([])
    // A membership is cached per member: bob's is read once, then served from the cache too.
    expect(await messaging.listMessages({ messageGroupUuid, viewerUuid: bob.uuid })).toEqual(page)
    expect(await messaging.listMessages({ messageGroupUuid, viewerUuid: bob.uuid })).toEqual(page)
    expect(names()).toEqual(['GetItemCommand'])
    calls.length = 0
    const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice' })
    expect(names()).toEqual(['PutItemCommand', 'UpdateItemCommand'])
    calls.length = 0
    const after = await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
    expect(after.items[0]).toEqual(reply)
    expect(calls.map(({ name, consistent }) => [name, consistent])).toEqual([['QueryCommand', true]])
  })

  it('still refuses a stranger, from the cached members, and caches no absent conversation', async () => {
    const messaging = instance(observed.client)
    const { messageGroupUuid } = await conversation(messaging)
    await messaging.listMessages({ messageGroupUuid })
    await expect(messaging.listMessages({ messageGroupUuid, viewerUuid: user('eve').uuid })).rejects.toMatchObject({ code: 'NOT_A_MEMBER' })
    // A conversation that does not exist yet is looked up every time (no negative caching), so once created it is found.
    const [carol, dan] = [user('carol'), user('dan')]
    const other = instance()
    await expect(messaging.createMessage({ messageGroupUuid: randomUUID(), sender: carol, message: 'x' })).rejects.toMatchObject({
      code: 'NOT_A_MEMBER'
    })
    const started = await other.createMessageGroup({ sender: carol, recipient: dan, message: 'first' })
    await expect(messaging.createMessage({ messageGroupUuid: started.messageGroupUuid, sender: dan, message: 'ok' })).resolves.toMatchObject({
      message: 'ok'
    })
  })

  it('never serves a page older than a completed write, through any instance sharing the cache', async () => {
    const [writer, reader] = [instance(), instance()]
    const handler = createStreamHandler({ client, tableName, cache: cacheOf() })
    const { alice, bob, messageGroupUuid } = await conversation(writer)
    const { messageGroupUuid: older } = await conversation(writer).then(async (c) => {
      // Alice's second conversation, so that her list has an order to change.
      const started = await writer.createMessageGroup({ sender: alice, recipient: c.bob, message: 'other' })
      return started
    })
    // Fill the cache: A pages of both limits and B pages of both users.
    for (const limit of [1, 20]) await reader.listMessages({ messageGroupUuid, viewerUuid: bob.uuid, limit })
    const before = await reader.listMessageGroups({ userUuid: alice.uuid })
    expect(before.items[0]!.messageGroupUuid).toBe(older)
    await reader.listMessageGroups({ userUuid: bob.uuid })

    const reply = await writer.createMessage({ messageGroupUuid, sender: bob, message: 'news' })
    for (const limit of [1, 20]) {
      expect((await reader.listMessages({ messageGroupUuid, viewerUuid: bob.uuid, limit })).items[0]).toEqual(reply)
    }
    // Pattern D through the stream handler: once it returned, both lists show the reply, first.
    expect(await handler({ Records: [insertRecordOf(reply, 1)] })).toEqual({ batchItemFailures: [] })
    for (const person of [alice, bob]) {
      const { items } = await reader.listMessageGroups({ userUuid: person.uuid })
      expect(items[0]).toMatchObject({ messageGroupUuid, lastMessage: 'news', sortKey: reply.sortKey })
    }
    // A redelivery changes nothing and serves the same.
    await handler({ Records: [insertRecordOf(reply, 1)] })
    expect((await reader.listMessageGroups({ userUuid: alice.uuid })).items[0]).toMatchObject({ lastMessage: 'news' })
    // updateMessageGroups invalidates the same way.
    const again = await writer.createMessage({ messageGroupUuid, sender: alice, message: 'again' })
    await reader.listMessageGroups({ userUuid: bob.uuid })
    await writer.updateMessageGroups(again)
    expect((await reader.listMessageGroups({ userUuid: bob.uuid })).items[0]).toMatchObject({ lastMessage: 'again' })
    expect(errors.seen).toEqual([])
  })

  it('a new conversation shows in both lists at once, through another instance', async () => {
    const [writer, reader] = [instance(), instance()]
    const [carol, dan] = [user('carol'), user('dan')]
    expect(await reader.listMessageGroups({ userUuid: carol.uuid })).toEqual({ items: [] })
    expect(await reader.listMessageGroups({ userUuid: dan.uuid })).toEqual({ items: [] })
    const { messageGroupUuid } = await writer.createMessageGroup({ sender: carol, recipient: dan, message: 'hello' })
    expect((await reader.listMessageGroups({ userUuid: carol.uuid })).items.map((g) => g.messageGroupUuid)).toEqual([messageGroupUuid])
    expect((await reader.listMessageGroups({ userUuid: dan.uuid })).items.map((g) => g.messageGroupUuid)).toEqual([messageGroupUuid])
    // Cursor pages are cached too, and refreshed the same way.
    const { messageGroupUuid: g2 } = await writer.createMessageGroup({ sender: carol, recipient: user('erin'), message: 'second' })
    const first = await reader.listMessageGroups({ userUuid: carol.uuid, limit: 1 })
    expect(first.items[0]!.messageGroupUuid).toBe(g2)
    const second = await reader.listMessageGroups({ userUuid: carol.uuid, limit: 1, cursor: first.cursor })
    expect(second.items[0]!.messageGroupUuid).toBe(messageGroupUuid)
    expect(await reader.listMessageGroups({ userUuid: carol.uuid, limit: 1, cursor: first.cursor })).toEqual(second)
  })

  it('puts the prefix and a TTL of at most 600 s on every key it stores', async () => {
    const messaging = instance()
    const { alice, messageGroupUuid } = await conversation(messaging)
    await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
    await messaging.listMessageGroups({ userUuid: alice.uuid })
    const keys = await scanKeys(redis, `*${tableName}*`)
    // Two user versions, a conversation's and its membership version, a page, a membership, a B page.
    expect(keys.length).toBeGreaterThanOrEqual(7)
    for (const key of keys) {
      expect(key.startsWith(`${prefix}${tableName}:{`)).toBe(true)
      const ttl = await redis.ttl(key)
      expect(ttl, key).toBeGreaterThan(0)
      expect(ttl, key).toBeLessThanOrEqual(600)
    }
    // The keys of one scope share a hash tag: one cluster slot.
    const slots = new Set(keys.filter((key) => key.includes(messageGroupUuid)).map((key) => /\{[^}]*\}/.exec(key)![0]))
    expect([...slots]).toEqual([`{g:${messageGroupUuid}}`])
  })

  it('a missing version (evicted, expired) is created anew, never assumed: the old page is not served', async () => {
    const messaging = instance()
    const { alice, bob, messageGroupUuid } = await conversation(messaging)
    await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
    // A message written behind the library's back (no invalidation), then the version key evicted.
    const sneaky = { pk: messagePk(messageGroupUuid), sk: `${new Date().toISOString()}#01KAAAAAAAAAAAAAAAAAAAAAAA` }
    await DynamoDBDocumentClient.from(client).send(
      new PutCommand({
        TableName: tableName,
        Item: { ...sneaky, message_group_uuid: messageGroupUuid, message_uuid: randomUUID(), message: 'behind its back', user_uuid: bob.uuid, user_display_name: 'Bob', user_handle: 'bob' }
      })
    )
    expect((await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })).items[0]!.message).toBe('Hi Bob')
    expect(await redis.del(`${prefix}${tableName}:{g:${messageGroupUuid}}:v`)).toBe(1)
    expect((await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })).items[0]!.message).toBe('behind its back')
  })

  it('concurrent misses of one page share one DynamoDB read (single flight)', async () => {
    const messaging = instance(observed.client)
    const { alice, messageGroupUuid } = await conversation(instance())
    calls.length = 0
    const pages = await Promise.all(Array.from({ length: 8 }, () => messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })))
    expect(new Set(pages.map((page) => JSON.stringify(page))).size).toBe(1)
    expect(names().filter((name) => name === 'QueryCommand')).toHaveLength(1)
    expect(names().filter((name) => name === 'GetItemCommand')).toHaveLength(1)
  })
})

describe('the stale-set race: a slow reader fills the cache after a write invalidated it', () => {
  // The reader's DynamoDB answer is held until a write and its invalidation completed; then it fills the cache with
  // the page it read before the write. Readers after the write must not be served that page.
  function slowReader() {
    const read = deferred()
    const release = deferred()
    const slow = faultyClient()
    let held = false
    slow.rule = (name) => {
      if (name !== 'QueryCommand' || held) return undefined
      held = true
      return {
        holdResponse: () => {
          read.resolve()
          return release.promise
        }
      }
    }
    return { messaging: instance(slow.client), read: read.promise, release: release.resolve }
  }

  it('Pattern A: the late page carries the old version and is not served', async () => {
    const { alice, bob, messageGroupUuid } = await conversation()
    const slow = slowReader()
    const stale = slow.messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
    await slow.read // DynamoDB answered, before the write
    const reply = await instance().createMessage({ messageGroupUuid, sender: bob, message: 'after the read' })
    slow.release()
    expect((await stale).items.map((m) => m.message)).toEqual(['Hi Bob']) // it did read before the write
    expect((await instance().listMessages({ messageGroupUuid, viewerUuid: alice.uuid })).items[0]).toEqual(reply)
  })

  it('Pattern B: the late list carries the old version and is not served after the stream handler returned', async () => {
    const { alice, bob, messageGroupUuid } = await conversation()
    await sleep(INDEX_SETTLE_MS) // a page of a settled list is stored: the one this reader would store is
    const reply = await instance().createMessage({ messageGroupUuid, sender: bob, message: 'moves the row' })
    const slow = slowReader()
    const stale = slow.messaging.listMessageGroups({ userUuid: alice.uuid })
    await slow.read
    await createStreamHandler({ client, tableName, cache: cacheOf() })({ Records: [insertRecordOf(reply, 7)] })
    slow.release()
    expect((await stale).items[0]!.lastMessage).toBe('Hi Bob')
    expect((await instance().listMessageGroups({ userUuid: alice.uuid })).items[0]).toMatchObject({ lastMessage: 'moves the row' })
  })
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}
