// A cache that fails never fails a read or a write: the Redis server killed by pid mid-run and restarted, Momento's
// real SDK pointed at a port where nothing listens, and a write that could not invalidate (stale at worst until the TTL).
import { afterAll, describe, expect, it } from 'vitest'
import { CacheClient, Configurations, CredentialProvider, NoopMomentoLoggerFactory, ServerUnavailableError } from '@gomomento/sdk'
import { Redis } from 'ioredis'
import { createMessaging, createStreamHandler, type MessagingClient } from '../../src/index.js'
import { memoryCache, momentoCache, redisCache, type MessagingCache } from '../../src/cache/index.js'
import { testTable, user } from '../support/engine.js'
import { cacheErrors } from '../support/cache.js'
import { freePort, isGone } from '../support/processes.js'
import { startRedisServer } from '../support/redisServer.js'
import { insertRecordOf } from '../support/streamRecords.js'

const { client, tableName } = await testTable('cache-outage')
/** The truth: DynamoDB read without a cache. */
const uncached = createMessaging({ client, tableName })
/** Far above the 150 ms cache timeout plus a DynamoDB Local call: only a hang would pass it. */
const BOUND_MS = 3_000

async function timed<T>(run: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await run()
  expect(performance.now() - started).toBeLessThan(BOUND_MS)
  return result
}

/** Writes, stream updates and reads of one conversation; every read compared with DynamoDB itself. */
async function exercise(messaging: MessagingClient, handler: ReturnType<typeof createStreamHandler>, round: number) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid } = await timed(() => messaging.createMessageGroup({ sender: alice, recipient: bob, message: `start ${round}` }))
  for (let i = 0; i < 3; i++) {
    const reply = await timed(() => messaging.createMessage({ messageGroupUuid, sender: i % 2 ? alice : bob, message: `r${round}.${i}` }))
    expect((await timed(() => messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid }))).items[0]).toEqual(reply)
    await timed(() => handler({ Records: [insertRecordOf(reply, round * 100 + i)] }))
    expect((await timed(() => messaging.listMessageGroups({ userUuid: bob.uuid }))).items[0]).toMatchObject({ lastMessage: reply.message })
  }
  for (const who of [alice, bob]) {
    expect(await messaging.listMessageGroups({ userUuid: who.uuid })).toEqual(await uncached.listMessageGroups({ userUuid: who.uuid }))
  }
  expect(await messaging.listMessages({ messageGroupUuid, limit: 2 })).toEqual(await uncached.listMessages({ messageGroupUuid, limit: 2 }))
  return { alice, bob, messageGroupUuid }
}

describe('Redis killed mid-run, then restarted', () => {
  it('keeps every read and write succeeding from DynamoDB, reports it, and is fresh again after recovery', async () => {
    let server = await startRedisServer()
    afterAll(() => server.stop())
    const redis = new Redis(server.url) // ioredis's defaults: it reconnects by itself
    redis.on('error', () => {})
    afterAll(() => redis.disconnect())
    const errors = cacheErrors()
    const cache = redisCache({ client: redis })
    const messaging = createMessaging({ client, tableName, cache, onCacheError: errors.onCacheError })
    const handler = createStreamHandler({ client, tableName, cache, onCacheError: errors.onCacheError })

    const before = await exercise(messaging, handler, 1)
    expect(errors.seen).toEqual([])
    // A page cached before the outage, about to go stale.
    await messaging.listMessages({ messageGroupUuid: before.messageGroupUuid })

    process.kill(server.pid, 'SIGKILL')
    await expect.poll(() => isGone(server.pid)).toBe(true)
    await exercise(messaging, handler, 2)
    const during = await messaging.createMessage({ messageGroupUuid: before.messageGroupUuid, sender: before.bob, message: 'during the outage' })
    expect((await messaging.listMessages({ messageGroupUuid: before.messageGroupUuid })).items[0]).toEqual(during)
    expect(new Set(errors.operations())).toEqual(new Set(['read', 'invalidate']))

    server = await startRedisServer({ port: server.port })
    await expect.poll(() => redis.status, { timeout: 10_000 }).toBe('ready')
    errors.seen.length = 0
    // Nothing stale and nothing corrupt: what it serves is what DynamoDB holds, and it caches and invalidates again.
    expect(await messaging.listMessages({ messageGroupUuid: before.messageGroupUuid })).toEqual(
      await uncached.listMessages({ messageGroupUuid: before.messageGroupUuid })
    )
    await exercise(messaging, handler, 3)
    expect(errors.seen).toEqual([])
    expect((await redis.dbsize()) > 0).toBe(true)
  })
})

describe("Momento's real SDK against a port where nothing listens", () => {
  it('answers every call from DynamoDB and reports each failure', async () => {
    const momento = new CacheClient({
      configuration: Configurations.Laptop.v1(new NoopMomentoLoggerFactory()),
      credentialProvider: CredentialProvider.forMomentoLocal({ hostname: '127.0.0.1', port: await freePort() }),
      defaultTtlSeconds: 600
    })
    afterAll(() => momento.close())
    const errors = cacheErrors()
    const cache = momentoCache({ client: momento, cacheName: 'cruddur' })
    // A timeout well past the SDK's own failure, so that a busy machine reports the SDK's error, not the library's timeout.
    const messaging = createMessaging({ client, tableName, cache, onCacheError: errors.onCacheError, cacheTimeoutMs: 5_000 })
    const handler = createStreamHandler({ client, tableName, cache, onCacheError: errors.onCacheError, cacheTimeoutMs: 5_000 })
    await exercise(messaging, handler, 4)
    expect(new Set(errors.operations())).toEqual(new Set(['read', 'invalidate']))
    // Momento answers an error response rather than throwing; the adapter turns it into the SDK's own error.
    expect(errors.seen[0]!.error).toBeInstanceOf(ServerUnavailableError)
    expect(String((errors.seen[0]!.error as Error).message)).toMatch(/ECONNREFUSED/)
  })
})

describe('a write that could not invalidate', () => {
  it('says so through onCacheError and leaves the old page readable at worst until its TTL', async () => {
    const inner = memoryCache({ ttlSeconds: 1 })
    let down = false
    const flaky: MessagingCache = {
      getMany: (keys) => inner.getMany(keys),
      setIfAbsent: (key, value) => inner.setIfAbsent(key, value),
      setMany: async (entries) => {
        if (down) throw new Error('connection reset')
        return inner.setMany(entries)
      }
    }
    const errors = cacheErrors()
    const messaging = createMessaging({ client, tableName, cache: flaky, onCacheError: errors.onCacheError })
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'cached' })
    await messaging.listMessages({ messageGroupUuid, viewerUuid: bob.uuid }) // the page and the members, cached
    down = true
    const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'not invalidated' })
    // The conversation's pages and the sender's list (their row was brought to the send): one call per version key.
    expect(errors.seen).toEqual([
      { error: expect.objectContaining({ message: 'connection reset' }), operation: 'invalidate', keys: [`${tableName}:{g:${messageGroupUuid}}:v`] },
      { error: expect.objectContaining({ message: 'connection reset' }), operation: 'invalidate', keys: [`${tableName}:{u:${bob.uuid}}:v`] }
    ])
    expect((await messaging.listMessages({ messageGroupUuid })).items[0]!.message).toBe('cached') // the documented worst case
    await new Promise((resolve) => setTimeout(resolve, 1_100)) // the TTL
    expect((await messaging.listMessages({ messageGroupUuid })).items[0]).toEqual(reply)
  })
})
