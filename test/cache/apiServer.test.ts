// The example API server with a cache: chosen from REDIS_URL or MOMENTO_API_KEY, and over real HTTP a page served
// again from Redis, refreshed by a POST and by the stream worker. Imports the built package, as the example does.
import { afterAll, describe, expect, it } from 'vitest'
import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import { tableDefinition, type CacheReadEvent } from 'dynamo-messaging'
import { seedSampleConversations } from 'dynamo-messaging/local'
import { devAuth } from '../../examples/api-server/src/auth.js'
import { openCache } from '../../examples/api-server/src/cache.js'
import { readConfig } from '../../examples/api-server/src/config.js'
import { connectRedis } from '../../examples/api-server/src/redis.js'
import { startApiServer } from '../../examples/api-server/src/startApiServer.js'
import { loadUserDirectory } from '../../examples/api-server/src/users.js'
import { engineClient } from '../support/engine.js'
import { redisUrl } from '../support/cache.js'
import { callFor } from '../api-server/support.js'

describe('readConfig: the cache', () => {
  it('is Redis with REDIS_URL, Momento with MOMENTO_API_KEY, none otherwise, and never both', () => {
    expect(readConfig({}).cache).toBeUndefined()
    expect(readConfig({ REDIS_URL: 'redis://cache:6379' }).cache).toEqual({ kind: 'redis', redis: { url: 'redis://cache:6379', cluster: false } })
    expect(readConfig({ REDIS_URL: 'rediss://cache:6379', REDIS_CLUSTER: 'on' }).cache).toEqual({ kind: 'redis', redis: { url: 'rediss://cache:6379', cluster: true } })
    expect(readConfig({ MOMENTO_API_KEY: 'key' }).cache).toEqual({ kind: 'momento' })
    expect(() => readConfig({ REDIS_URL: 'redis://cache:6379', MOMENTO_API_KEY: 'key' })).toThrow(/not both/)
    expect(() => readConfig({ REDIS_URL: 'cache:6379' })).toThrow(/redis:\/\//)
  })
})

describe('the API server on Redis', () => {
  it('serves repeated reads from the cache and never a stale one after a POST or Pattern D', { timeout: 60_000 }, async () => {
    const client = engineClient()
    afterAll(() => client.destroy())
    const tableName = `cache-api-${Date.now()}`
    await client.send(new CreateTableCommand(tableDefinition({ tableName })))
    const seeded = await seedSampleConversations({ client, tableName })
    const adaBen = seeded.find((c) => c.participants.map((p) => p.handle).sort().join() === 'ada,ben')!.messageGroupUuid
    const redis = await connectRedis({ url: redisUrl(), cluster: false })
    afterAll(() => redis.close())
    const cache = await openCache({ kind: 'redis', redis: { url: redisUrl(), cluster: false } }, redis)
    const events: CacheReadEvent[] = []
    const api = await startApiServer({
      client,
      tableName,
      users: await loadUserDirectory(),
      auth: devAuth(),
      port: 0,
      host: '127.0.0.1',
      streamWorker: true,
      cache: cache.cache,
      onCacheRead: (event) => void events.push(event)
    })
    afterAll(() => api.stop())
    const call = callFor(api.url)

    const first = await call('GET', `/api/messages/${adaBen}`, { as: 'ada' })
    const again = await call('GET', `/api/messages/${adaBen}`, { as: 'ada' })
    expect(again.body).toEqual(first.body)
    expect(events.map((e) => `${e.kind} ${e.hit}`)).toEqual(['members false', 'A false', 'members true', 'A true'])
    expect((await call('GET', '/api/message_groups', { as: 'ben' })).status).toBe(200)

    const posted = await call('POST', '/api/messages', { as: 'ben', body: { message: 'Through the cache', message_group_uuid: adaBen } })
    expect(posted.status).toBe(200)
    const after = await call<Array<{ message: string }>>('GET', `/api/messages/${adaBen}`, { as: 'ada' })
    expect(after.body.at(-1)!.message).toBe('Through the cache')
    await api.worker!.drain(20_000)
    const groups = await call<Array<{ uuid: string; message: string }>>('GET', '/api/message_groups', { as: 'ben' })
    expect(groups.body[0]).toMatchObject({ uuid: adaBen, message: 'Through the cache' })
  })
})
