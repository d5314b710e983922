// dynamo-messaging/events against real Redis: a single redis-server (restarted under a subscription) and a three-node
// Redis Cluster, as ElastiCache Serverless runs. Publisher and subscribers are separate ioredis clients, as the stream
// Lambda and the API servers are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Cluster, Redis } from 'ioredis'
import { DEFAULT_EVENTS_CHANNEL, redisEventPublisher, subscribeRedisEvents, type AppliedConversation } from '../../src/events/index.js'
import { ValidationError } from '../../src/index.js'
import { startRedisCluster, startRedisServer, type RedisCluster, type RedisServer } from '../support/redisServer.js'
import { eventually } from '../support/processes.js'

const applied = (n: number): AppliedConversation => ({
  messageGroupUuid: `g-${n}`,
  message: { messageGroupUuid: `g-${n}`, sortKey: `2026-11-23T10:00:00.${String(n).padStart(6, '0')}+00:00`, message: `message ${n}`, userUuid: 'u-ada', handle: 'ada', displayName: 'Ada' },
  participants: [
    { userUuid: 'u-ada', unreadCount: 0, lastReadSortKey: `2026-11-23T10:00:00.${String(n).padStart(6, '0')}+00:00` },
    { userUuid: 'u-ben', unreadCount: n }
  ]
})

const clients: Array<Redis | Cluster> = []
const track = <T extends Redis | Cluster>(client: T): T => {
  client.on('error', () => {}) // outages are what some tests make; the functions report them
  clients.push(client)
  return client
}
afterAll(() => {
  for (const client of clients) client.disconnect()
})

describe('one redis-server', () => {
  let redis: RedisServer
  beforeAll(async () => void (redis = await startRedisServer()))
  afterAll(() => redis?.stop())

  it('every subscriber gets each published conversation once, as onApplied was told it', async () => {
    const publisher = track(new Redis(redis.url))
    const got: AppliedConversation[][] = [[], []]
    const subscriptions = await Promise.all(
      got.map((list) => subscribeRedisEvents({ client: track(new Redis(redis.url)), onEvent: (event) => list.push(event) }))
    )
    const publish = redisEventPublisher({ client: publisher, onError: (error) => expect.fail(String(error)) })
    for (let n = 1; n <= 20; n++) await publish(applied(n))
    await eventually('both subscribers to get 20 events', () => got.every((list) => list.length === 20), 5_000)
    for (const list of got) expect(list).toEqual(Array.from({ length: 20 }, (_, i) => applied(i + 1)))
    // After close, nothing more arrives.
    await Promise.all(subscriptions.map((subscription) => subscription.close()))
    await publish(applied(21))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(got.map((list) => list.length)).toEqual([20, 20])
  })

  it('ignores other channels, reports garbage on its own, and survives an onEvent that throws', async () => {
    const subscriber = track(new Redis(redis.url))
    const got: string[] = []
    const errors: string[] = []
    await subscriber.subscribe('someone-elses')
    await subscribeRedisEvents({
      client: subscriber,
      channel: 'test:garbage',
      onEvent: (event) => {
        if (event.messageGroupUuid === 'g-1') throw new Error('a tab threw')
        got.push(event.messageGroupUuid)
      },
      onError: (error) => errors.push((error as Error).message)
    })
    const publisher = track(new Redis(redis.url))
    await publisher.publish('someone-elses', 'not for us')
    await publisher.publish('test:garbage', '{"v":2}')
    await publisher.publish('test:garbage', 'garbage')
    const publish = redisEventPublisher({ client: publisher, channel: 'test:garbage' })
    await publish(applied(1))
    await publish(applied(2))
    await eventually('the good event', () => got.length === 1, 5_000)
    expect(got).toEqual(['g-2'])
    expect(errors).toEqual(['not an event of dynamo-messaging: version 2, not 1', 'not an event of dynamo-messaging: not JSON', 'a tab threw'])
  })

  it('publishing never throws: Redis gone fails fast to onError, within the timeout', async () => {
    const own = await startRedisServer()
    const publisher = track(new Redis(own.url, { maxRetriesPerRequest: 1 }))
    const errors: Array<[string, string]> = []
    const publish = redisEventPublisher({ client: publisher, timeoutMs: 300, onError: (error, event) => errors.push([(error as Error).message, event.messageGroupUuid]) })
    await publish(applied(1))
    expect(errors).toEqual([])
    await own.stop()
    await eventually('ioredis to notice', () => publisher.status !== 'ready', 5_000)
    const started = Date.now()
    await expect(publish(applied(2))).resolves.toBeUndefined()
    expect(Date.now() - started).toBeLessThan(300 + 200)
    expect(errors).toEqual([[expect.stringMatching(/not connected/), 'g-2']])
    // Before the first connection a publish waits for it (a Lambda's first call), bounded by the timeout.
    const slow: string[] = []
    const publishSlowly = redisEventPublisher({ client: { status: 'connecting', publish: () => new Promise(() => {}) }, timeoutMs: 200, onError: (error) => slow.push((error as Error).message) })
    const waited = Date.now()
    await publishSlowly(applied(3))
    expect(Date.now() - waited).toBeGreaterThanOrEqual(190)
    expect(slow).toEqual(['Redis did not take the event within 200 ms'])
  })

  it('when Redis comes back, onGap says events were missed, and events flow again', async () => {
    const own = await startRedisServer()
    const subscriber = track(new Redis(own.url, { retryStrategy: () => 100 }))
    const got: string[] = []
    let gaps = 0
    await subscribeRedisEvents({ client: subscriber, onEvent: (event) => got.push(event.messageGroupUuid), onGap: () => gaps++ })
    const publisher = track(new Redis(own.url, { retryStrategy: () => 100 }))
    const publish = redisEventPublisher({ client: publisher, onError: () => {} })
    await publish(applied(1))
    await eventually('the first event', () => got.length === 1, 5_000)
    await own.stop()
    await publish(applied(2)) // lost: nobody was there to take it
    const again = await startRedisServer({ port: own.port })
    try {
      await eventually('the subscription to be back', () => gaps === 1, 10_000)
      await eventually('the publisher to be back', () => publisher.status === 'ready', 10_000)
      await publish(applied(3))
      await eventually('the event after the gap', () => got.length === 2, 5_000)
      expect(got).toEqual(['g-1', 'g-3'])
    } finally {
      await again.stop()
    }
  })

  it('refuses bad options, naming every problem', async () => {
    expect(() => redisEventPublisher({ client: {} as never, channel: '', timeoutMs: 0, onError: 'no' as never })).toThrow(ValidationError)
    try {
      redisEventPublisher({ client: {} as never, channel: '', timeoutMs: 0 })
    } catch (error) {
      expect((error as ValidationError).issues.map((issue) => issue.code)).toEqual(['client_invalid', 'channel_invalid', 'timeout_ms_invalid'])
    }
    await expect(subscribeRedisEvents({ client: track(new Redis(redis.url)), onEvent: undefined as never })).rejects.toThrow(/onEvent/)
    expect(DEFAULT_EVENTS_CHANNEL).toBe('dm:events')
  })
})

describe('a three-node Redis Cluster (cluster mode, as ElastiCache Serverless)', () => {
  let cluster: RedisCluster
  beforeAll(async () => void (cluster = await startRedisCluster()), 60_000)
  afterAll(() => cluster?.stop())

  it('a Cluster publisher reaches Cluster subscribers, whichever node each is attached to', async () => {
    const seed = (i: number) => [cluster.startupNodes[i % 3]!]
    const publisher = track(new Cluster(seed(0)))
    const got: AppliedConversation[][] = [[], [], []]
    await Promise.all(got.map((list, i) => subscribeRedisEvents({ client: track(new Cluster(seed(i))), onEvent: (event) => list.push(event) })))
    const publish = redisEventPublisher({ client: publisher, onError: (error) => expect.fail(String(error)) })
    for (let n = 1; n <= 30; n++) await publish(applied(n))
    await eventually('every subscriber to get 30 events', () => got.every((list) => list.length === 30), 10_000)
    // Each once; not in order: a Cluster client sends each PUBLISH to any node, and nodes relay to one another, so
    // consumers order by sort key (the chat page does).
    const expected = Array.from({ length: 30 }, (_, i) => applied(i + 1))
    for (const list of got) expect([...list].sort((a, b) => a.message.sortKey.localeCompare(b.message.sortKey))).toEqual(expected)
    // Subscriptions were spread by ioredis over the nodes; classic pub/sub reaches every node of the cluster.
    const counts = await Promise.all(cluster.nodes.map(async (node) => {
      const direct = track(new Redis(node.url))
      return (await direct.call('pubsub', 'numsub', DEFAULT_EVENTS_CHANNEL)) as [string, number]
    }))
    expect(counts.reduce((sum, [, n]) => sum + Number(n), 0)).toBe(3)
  })
})
