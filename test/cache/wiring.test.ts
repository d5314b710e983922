// The cache options everywhere they are taken: checked at creation time, and the local stream worker's default handler
// invalidating the cache that the API's messaging reads through. Also invalidateCache for writers outside the library.
import { describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler } from '../../src/index.js'
import { invalidateCache, memoryCache, redisCache } from '../../src/cache/index.js'
import { startLocalStreamWorker } from '../../src/local/index.js'
import { testTable, user } from '../support/engine.js'
import { redisClient } from '../support/cache.js'
import { validationCodes as codesOf } from '../support/rejections.js'
import { INDEX_SETTLE_MS } from '../../src/conversations/listMessageGroups.js'

const { client, tableName } = await testTable('cache-wiring')

describe('cache options are checked when given', () => {
  it('createMessaging, createStreamHandler and startLocalStreamWorker', async () => {
    const bad = { cache: { getMany: () => [] } as never, cacheTimeoutMs: 0, onCacheError: 'log' as never }
    expect(await codesOf(() => createMessaging({ client, tableName, ...bad, onCacheRead: 1 as never }))).toEqual([
      'cache_invalid',
      'cache_timeout_ms_invalid',
      'on_cache_error_invalid',
      'on_cache_read_invalid'
    ])
    expect(await codesOf(() => createStreamHandler({ client, tableName, ...bad }))).toEqual([
      'cache_invalid',
      'cache_timeout_ms_invalid',
      'on_cache_error_invalid'
    ])
    // Without a cache they would do nothing: refused rather than ignored.
    expect(
      await codesOf(() => createMessaging({ client, tableName, cacheTimeoutMs: 100, onCacheError: () => {}, onCacheRead: () => {} }))
    ).toEqual(['cache_timeout_ms_invalid', 'on_cache_error_invalid', 'on_cache_read_invalid'])
    const handler = createStreamHandler({ client, tableName })
    expect(await codesOf(() => startLocalStreamWorker({ client, tableName, handler, cache: memoryCache() }))).toEqual(['cache_invalid'])
    expect(await codesOf(() => startLocalStreamWorker({ client, tableName, cacheTimeoutMs: 61_000 }))).toEqual(['cache_timeout_ms_invalid'])
    expect(createMessaging({ client, tableName, cache: memoryCache(), cacheTimeoutMs: 60_000 }).tableName).toBe(tableName)
  })

  it('invalidateCache: a cache, uuids and a table name', async () => {
    expect(await codesOf(() => invalidateCache({ cache: undefined as never, tableName: 'x', users: ['alice'], conversations: 'g' as never }))).toEqual([
      'cache_missing',
      'table_name_invalid',
      'conversations_invalid',
      'users_invalid'
    ])
  })
})

describe('the local stream worker', () => {
  it("gives the cache to its default handler, which refreshes the conversation lists the API's messaging caches", async () => {
    const cache = redisCache({ client: redisClient(), prefix: 'worker:' })
    const messaging = createMessaging({ client, tableName, cache })
    const worker = await startLocalStreamWorker({ client, tableName, cache, pollIntervalMs: 50, startingPosition: 'LATEST' })
    try {
      const [alice, bob] = [user('alice'), user('bob')]
      const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'first' })
      expect((await messaging.listMessageGroups({ userUuid: bob.uuid })).items[0]!.lastMessage).toBe('first') // cached now
      await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'second' })
      await worker.drain(20_000)
      expect((await messaging.listMessageGroups({ userUuid: bob.uuid })).items[0]!.lastMessage).toBe('second')
    } finally {
      await worker.stop()
    }
  })
})

describe('invalidateCache, for writes made by other code', () => {
  it('refreshes the pages of the users and conversations it names', async () => {
    const cache = memoryCache()
    const messaging = createMessaging({ client, tableName, cache })
    const uncached = createMessaging({ client, tableName })
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'first' })
    await new Promise((resolve) => setTimeout(resolve, INDEX_SETTLE_MS)) // a list read this long after a write is stored
    expect((await messaging.listMessageGroups({ userUuid: bob.uuid })).items[0]!.lastMessage).toBe('first')
    expect((await messaging.listMessages({ messageGroupUuid })).items).toHaveLength(1)
    // Another program writes without the cache (here: a messaging client without it), then says what it changed.
    const reply = await uncached.createMessage({ messageGroupUuid, sender: alice, message: 'second' })
    await uncached.updateMessageGroups(reply)
    expect((await messaging.listMessageGroups({ userUuid: bob.uuid })).items[0]!.lastMessage).toBe('first')
    await invalidateCache({ cache, tableName, users: [bob.uuid.toUpperCase()], conversations: [messageGroupUuid] })
    expect((await messaging.listMessageGroups({ userUuid: bob.uuid })).items[0]!.lastMessage).toBe('second')
    expect((await messaging.listMessages({ messageGroupUuid })).items[0]).toEqual(reply)
  })
})
