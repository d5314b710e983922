import { Redis } from 'ioredis'
import { createMessaging, createStreamHandler, type MessagingClient, type Participant } from '../src/index.js'
import { redisCache } from '../src/cache/index.js'
import { INDEX_SETTLE_MS } from '../src/conversations/listMessageGroups.js'
import { meterCapacity } from '../src/cli/capacityMeter.js'
import { startRedisServer } from '../test/support/redisServer.js'
import { insertRecordOf } from '../test/support/streamRecords.js'
import { clientFor, createTable, person } from './engine.js'
import { fmt, median, type Figure } from './report.js'

const SECTION = '7. Caching Patterns A and B in Redis (a local redis-server this benchmark starts and stops)'

/**
 * Figure 6: DynamoDB read units of a read-heavy chat workload with and without the cache, the latency of a cached page
 * against an uncached one, the capacity of a send once membership is cached, and read latency while Redis is down.
 */
export async function benchCache(
  endpoint: string,
  options: { rounds: number; readsPerSend: number; samples: number }
): Promise<Figure[]> {
  const server = await startRedisServer()
  const redis = new Redis(server.url)
  redis.on('error', () => {}) // the outage figure kills the server on purpose
  const client = clientFor(endpoint)
  const meter = meterCapacity(client)
  try {
    const tableName = await createTable(client, 'cache')
    const cache = redisCache({ client: redis, prefix: 'bench:' })
    const warnings: string[] = []
    const cached = createMessaging({ client, tableName, cache, onCacheError: (error) => void warnings.push(String(error)) })
    const uncached = createMessaging({ client, tableName })
    const handler = createStreamHandler({ client, tableName, cache })

    // Eight users, each in a conversation with the next two: sixteen conversations, each with a page of history.
    const users = Array.from({ length: 8 }, (_, i) => person(`user${i}`))
    const conversations: Array<{ uuid: string; people: [Participant, Participant] }> = []
    for (let i = 0; i < users.length; i++) {
      for (const step of [1, 2]) {
        const pair: [Participant, Participant] = [users[i]!, users[(i + step) % users.length]!]
        const { messageGroupUuid } = await uncached.createMessageGroup({ sender: pair[0], recipient: pair[1], message: 'hello' })
        for (let m = 0; m < 20; m++) await uncached.createMessage({ messageGroupUuid, sender: pair[m % 2]!, message: `history ${m}` })
        conversations.push({ uuid: messageGroupUuid, people: pair })
      }
    }

    // The workload: one send (and its Pattern D) then `readsPerSend` reads, half message panes (A, with the viewer's
    // membership check) and half conversation lists (B), spread evenly over the conversations and users. The same
    // deterministic sequence runs without and with the cache.
    let sequence = 0
    const workload = async (messaging: MessagingClient, readsPerSend: number, rounds: number, pauseMs = 0) => {
      let random = 42
      const next = (n: number) => ((random = (random * 1103515245 + 12345) % 2 ** 31), random % n)
      let reads = 0
      let readUnits = 0
      for (let round = 0; round < rounds; round++) {
        const conversation = conversations[next(conversations.length)]!
        const sent = await messaging.createMessage({ messageGroupUuid: conversation.uuid, sender: conversation.people[next(2)]!, message: `round ${round}` })
        await handler({ Records: [insertRecordOf(sent, ++sequence)] })
        await new Promise((resolve) => setTimeout(resolve, pauseMs))
        meter.reset()
        for (let r = 0; r < readsPerSend; r++) {
          if (r % 2 === 0) {
            const c = conversations[next(conversations.length)]!
            await messaging.listMessages({ messageGroupUuid: c.uuid, viewerUuid: c.people[next(2)]!.uuid })
          } else {
            await messaging.listMessageGroups({ userUuid: users[next(users.length)]!.uuid })
          }
          reads++
        }
        readUnits += meter.snapshot().readUnits
      }
      return (readUnits / reads) * 1000
    }
    // The goal's ratio; five times as many reads per send, to show how the saving grows with the read ratio; and the
    // goal's workload with its reads a little over INDEX_SETTLE_MS after each send: a Pattern B page read sooner after
    // a write to its user's rows is served but not stored (the index may not show that write yet).
    const ratios = []
    for (const [readsPerSend, rounds, pauseMs] of [
      [options.readsPerSend, options.rounds, 0],
      [options.readsPerSend * 5, Math.ceil(options.rounds / 5), 0],
      [options.readsPerSend, options.rounds, INDEX_SETTLE_MS + 100]
    ] as const) {
      const withoutCache = await workload(uncached, readsPerSend, rounds)
      ratios.push({ readsPerSend, rounds, pauseMs, withoutCache, withCache: await workload(cached, readsPerSend, rounds, pauseMs) })
    }

    // Latency of one page, cached (a hit: one Redis round trip) against uncached. In blocks of ten, not one by one: on
    // two cores the JVM still busy with the previous DynamoDB Local request would slow the cached read after it.
    const hot = conversations[0]!
    const pageA = (messaging: MessagingClient) => messaging.listMessages({ messageGroupUuid: hot.uuid, viewerUuid: hot.people[0].uuid })
    const pageB = (messaging: MessagingClient) => messaging.listMessageGroups({ userUuid: hot.people[0].uuid })
    const latency = async (read: (messaging: MessagingClient) => Promise<unknown>, warmed: MessagingClient) => {
      await read(warmed)
      const fast: number[] = []
      const slow: number[] = []
      for (let i = 0; i < options.samples; i += 10) {
        for (let j = 0; j < 10; j++) fast.push(await timed(() => read(warmed)))
        for (let j = 0; j < 10; j++) slow.push(await timed(() => read(uncached)))
      }
      return { cached: stats(fast), uncached: stats(slow) }
    }
    const a = await latency(pageA, cached)
    const b = await latency(pageB, cached)

    // A send into a conversation whose sender's membership is cached: no read, the put and the sender's row.
    await cached.listMessages({ messageGroupUuid: hot.uuid, viewerUuid: hot.people[1].uuid }) // caches their membership
    meter.reset()
    await cached.createMessage({ messageGroupUuid: hot.uuid, sender: hot.people[1], message: 'one more' })
    const send = meter.snapshot()

    // Redis down: p99 of the same reads with the cache (each falls through to DynamoDB) against no cache.
    process.kill(server.pid, 'SIGKILL')
    const down = Date.now()
    while (redis.status === 'ready' && Date.now() - down < 5_000) await new Promise((resolve) => setTimeout(resolve, 10))
    const outage = { cached: [] as number[], uncached: [] as number[] }
    for (let i = 0; i < options.samples; i++) {
      const c = conversations[i % conversations.length]!
      for (const [name, messaging] of [['cached', cached], ['uncached', uncached]] as const) {
        outage[name].push(await timed(() => messaging.listMessages({ messageGroupUuid: c.uuid, viewerUuid: c.people[0].uuid })))
        outage[name].push(await timed(() => messaging.listMessageGroups({ userUuid: c.people[1].uuid })))
      }
    }
    const outageCached = stats(outage.cached)
    const outageUncached = stats(outage.uncached)

    return [
      ...ratios.map(({ readsPerSend, rounds, pauseMs, withCache, withoutCache }, index) => ({
        section: SECTION,
        figure: `read-heavy workload (${readsPerSend} reads per send, ${rounds} sends${pauseMs ? `, the reads ${fmt(pauseMs / 1000)} s after each send` : ', the reads right after each send'}), DynamoDB read units per 1,000 reads`,
        measured: `${fmt(withCache)} with the cache vs ${fmt(withoutCache)} without (${fmt(withCache / withoutCache, 3)}×)`,
        goal: index === 0 ? '≤ 0.1×' : 'reported',
        met: index === 0 ? withCache / withoutCache <= 0.1 : undefined
      })),
      ...(['A', 'B'] as const).map((pattern) => {
        const { cached: hit, uncached: miss } = pattern === 'A' ? a : b
        return {
          section: SECTION,
          figure: `Pattern ${pattern}: one page, cached vs uncached, median and p99`,
          measured: `median ${fmt(hit.median, 3)} vs ${fmt(miss.median)} ms (${fmt(miss.median / hit.median, 1)}× faster); p99 ${fmt(hit.p99, 3)} vs ${fmt(miss.p99)} ms (${options.samples} runs)`,
          goal: '≥ 10× faster at the median',
          met: miss.median / hit.median >= 10
        }
      }),
      {
        section: SECTION,
        figure: 'a send into a conversation whose members are cached',
        measured: `${fmt(send.writeUnits)} write units (the put, the sender's row and its index entries), ${fmt(send.readUnits)} read units`,
        goal: '0 read units',
        met: send.readUnits === 0
      },
      {
        section: SECTION,
        figure: 'p99 read latency while the Redis server is down, against no cache',
        measured: `${fmt(outageCached.p99)} ms vs ${fmt(outageUncached.p99)} ms (${fmt(outageCached.p99 / outageUncached.p99)}×; medians ${fmt(outageCached.median)} vs ${fmt(outageUncached.median)} ms)`,
        goal: '≤ 1.2×',
        met: outageCached.p99 <= 1.2 * outageUncached.p99
      }
    ]
  } finally {
    redis.disconnect()
    client.destroy()
    await server.stop()
  }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await run()
  return performance.now() - started
}

function stats(values: number[]): { median: number; p99: number } {
  const sorted = [...values].sort((x, y) => x - y)
  return { median: median(values), p99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]! }
}
