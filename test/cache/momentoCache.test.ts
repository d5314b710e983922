// momentoCache through the SDK's own ICacheClient interface, answered in process like the service (hits, misses, TTLs,
// error responses); plus a live round trip against Momento when MOMENTO_API_KEY is set.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CacheClient,
  CacheNotFoundError,
  Configurations,
  CredentialProvider,
  ReadConcern,
  ServerUnavailableError,
  type ICacheClient
} from '@gomomento/sdk'
import { createMessaging, createStreamHandler } from '../../src/index.js'
import { momentoCache, type MomentoClientLike } from '../../src/cache/index.js'
import { testTable, user } from '../support/engine.js'
import { cacheErrors } from '../support/cache.js'
import { InProcessMomento } from '../support/inProcessMomento.js'
import { validationCodes } from '../support/rejections.js'
import { insertRecordOf } from '../support/streamRecords.js'

// Compile-time: the SDK's client interface is accepted as it is.
export const sdkClientIsAccepted = (client: ICacheClient): MomentoClientLike => client

const { client, tableName } = await testTable('cache-momento')
const saved = { name: process.env.MOMENTO_CACHE_NAME, ttl: process.env.MOMENTO_TTL_SECONDS }
afterEach(() => {
  for (const [variable, value] of [['MOMENTO_CACHE_NAME', saved.name], ['MOMENTO_TTL_SECONDS', saved.ttl]] as const) {
    if (value === undefined) delete process.env[variable]
    else process.env[variable] = value
  }
})

describe('momentoCache, the adapter', () => {
  it('reads several keys in one call, stores with the TTL and the prefix, and expires them', async () => {
    const service = new InProcessMomento(['cruddur'])
    delete process.env.MOMENTO_CACHE_NAME
    delete process.env.MOMENTO_TTL_SECONDS
    const cache = momentoCache({ client: service })
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, undefined])
    await cache.setMany([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' }
    ])
    expect(await cache.getMany(['b', 'x', 'a'])).toEqual(['2', undefined, '1'])
    expect([...service.caches.get('cruddur')!].map(([key, entry]) => [key, entry.expiresAt])).toEqual([
      ['dm:a', 600_000],
      ['dm:b', 600_000]
    ])
    service.now = 600_000
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, undefined])
  })

  it('setIfAbsent stores a new value, and returns the one already there otherwise', async () => {
    const service = new InProcessMomento(['cruddur'])
    const cache = momentoCache({ client: service, cacheName: 'cruddur' })
    expect(await cache.setIfAbsent('v', 'first')).toBe('first')
    expect(await cache.setIfAbsent('v', 'second')).toBe('first')
    expect(service.calls).toEqual(['setIfAbsent', 'setIfAbsent', 'get'])
  })

  it('takes MOMENTO_CACHE_NAME and MOMENTO_TTL_SECONDS as the bootcamp sets them, and checks them', async () => {
    const service = new InProcessMomento(['chat'])
    process.env.MOMENTO_CACHE_NAME = 'chat'
    process.env.MOMENTO_TTL_SECONDS = '30'
    await momentoCache({ client: service, prefix: 'p/' }).setMany([{ key: 'k', value: 'v' }])
    expect(service.caches.get('chat')!.get('p/k')).toEqual({ value: 'v', expiresAt: 30_000 })
    process.env.MOMENTO_TTL_SECONDS = 'ten minutes'
    expect(await validationCodes(() => momentoCache({ client: service }))).toEqual(['momento_ttl_seconds_invalid'])
    expect(
      await validationCodes(() => momentoCache({ client: {} as never, cacheName: '', ttlSeconds: 0, prefix: '{x}' }))
    ).toEqual(['client_invalid', 'cache_name_invalid', 'ttl_seconds_invalid', 'prefix_invalid'])
  })

  it('turns an error response into a thrown SDK error (Momento never throws)', async () => {
    const service = new InProcessMomento(['cruddur'])
    service.unavailable = true
    const cache = momentoCache({ client: service, cacheName: 'cruddur' })
    await expect(cache.getMany(['a'])).rejects.toBeInstanceOf(ServerUnavailableError)
    await expect(cache.setMany([{ key: 'a', value: '1' }])).rejects.toBeInstanceOf(ServerUnavailableError)
    await expect(cache.setIfAbsent('a', '1')).rejects.toBeInstanceOf(ServerUnavailableError)
    await expect(momentoCache({ client: new InProcessMomento([]), cacheName: 'missing' }).getMany(['a'])).rejects.toBeInstanceOf(CacheNotFoundError)
  })
})

describe('createMessaging and the stream handler on momentoCache', () => {
  it('serves pages from Momento, refreshes them after writes and the stream, and falls through on error responses', async () => {
    const service = new InProcessMomento(['cruddur'])
    const errors = cacheErrors()
    const cache = momentoCache({ client: service, cacheName: 'cruddur' })
    const [reader, writer] = [0, 1].map(() => createMessaging({ client, tableName, cache, onCacheError: errors.onCacheError }))
    const handler = createStreamHandler({ client, tableName, cache })
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await writer!.createMessageGroup({ sender: alice, recipient: bob, message: 'hello' })
    const page = await reader!.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
    service.calls.length = 0
    expect(await reader!.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })).toEqual(page)
    expect(service.calls).toEqual(['getBatch']) // one round trip: version, page and members
    const reply = await writer!.createMessage({ messageGroupUuid, sender: bob, message: 'reply' })
    expect((await reader!.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })).items[0]).toEqual(reply)
    await reader!.listMessageGroups({ userUuid: alice.uuid })
    await handler({ Records: [insertRecordOf(reply, 1)] })
    expect((await reader!.listMessageGroups({ userUuid: alice.uuid })).items[0]).toMatchObject({ lastMessage: 'reply' })
    for (const [key, entry] of service.caches.get('cruddur')!) {
      expect(key.startsWith(`dm:${tableName}:{`)).toBe(true)
      expect(entry.expiresAt).toBeLessThanOrEqual(service.now + 600_000)
    }
    expect(errors.seen).toEqual([])

    service.unavailable = true
    const during = await writer!.createMessage({ messageGroupUuid, sender: alice, message: 'while unavailable' })
    expect((await reader!.listMessages({ messageGroupUuid, viewerUuid: bob.uuid })).items[0]).toEqual(during)
    expect(new Set(errors.operations())).toEqual(new Set(['invalidate', 'read']))
  })
})

// Runs against the real service when MOMENTO_API_KEY is set (a v2 key also needs MOMENTO_ENDPOINT); otherwise it is
// skipped, and says so.
const apiKey = process.env.MOMENTO_API_KEY
if (!apiKey) console.warn('SKIPPED: the live Momento round trip needs MOMENTO_API_KEY (and MOMENTO_ENDPOINT for a v2 key)')
describe.skipIf(!apiKey)('live Momento (MOMENTO_API_KEY)', () => {
  it('round-trips through the real service', async () => {
    const momento = new CacheClient({
      configuration: Configurations.InRegion.Default.latest().withReadConcern(ReadConcern.CONSISTENT),
      credentialProvider: process.env.MOMENTO_ENDPOINT ? CredentialProvider.fromEnvVarV2() : CredentialProvider.fromEnvVar('MOMENTO_API_KEY'),
      defaultTtlSeconds: 600
    })
    try {
      const cacheName = process.env.MOMENTO_CACHE_NAME || 'cruddur'
      await momento.createCache(cacheName) // AlreadyExists is an answer, not an exception
      const cache = momentoCache({ client: momento, cacheName, prefix: `dm-test-${randomUUID().slice(0, 8)}:`, ttlSeconds: 60 })
      await cache.setMany([{ key: 'k', value: 'v' }])
      expect(await cache.getMany(['k', 'absent'])).toEqual(['v', undefined])
      const token = randomUUID()
      expect(await cache.setIfAbsent('version', token)).toBe(token)
      expect(await cache.setIfAbsent('version', 'other')).toBe(token)
    } finally {
      momento.close()
    }
  })
})
