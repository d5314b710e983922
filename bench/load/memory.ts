// What open event streams cost a server: many readers across two instances, and readers that stop reading while
// events keep coming. Each probe measures the servers' resident memory (Linux /proc) before and after, and checks the
// streams did what they should (every open stream got the event; every stalled one was dropped).
import { Redis } from 'ioredis'
import { redisEventPublisher } from '../../src/events/index.js'
import { openEventStream, stalledReader, type EventStreamClient } from '../../test/support/eventStream.js'
import { streamToken } from './live.js'
import type { ApiServerProcess } from './stack.js'
import type { LoadUser } from './workload.js'

/** What a probe measured, against its goal. */
export interface MemoryResult {
  name: string
  what: string
  /** Resident memory above idle, in KB: the figure the goal bounds. */
  aboveIdleKb: number
  goalKb: number
  detail: string
  problems: string[]
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const rssOfAll = (servers: readonly ApiServerProcess[]) => servers.reduce((sum, server) => sum + server.sampleRss(), 0)
const mib = (kb: number) => (kb / 1024).toFixed(1)

/** An event naming `users` as participants, as the stream Lambda publishes one. */
const eventFor = (users: readonly LoadUser[], n: number, text: string) => {
  const sortKey = `2026-11-23T10:00:00.${String(n).padStart(6, '0')}+00:00`
  return {
    messageGroupUuid: 'memory-probe',
    message: { messageGroupUuid: 'memory-probe', sortKey, message: text, handle: users[0]!.handle },
    participants: users.map((user) => ({ userUuid: user.uuid, unreadCount: n }))
  }
}

/**
 * `count` streams spread over `servers`, each user's token fetched first so that only the
 * streams are measured; then one event to every user through Redis, which every stream must get.
 */
export async function probeOpenStreams(servers: readonly ApiServerProcess[], users: readonly LoadUser[], count: number, redisUrl: string): Promise<MemoryResult> {
  // The users in turn, one round per server: each user's streams on different instances, as a user's tabs may be.
  const plan = Array.from({ length: count }, (_, i) => ({ user: users[i % users.length]!, server: servers[Math.floor(i / users.length) % servers.length]! }))
  const tokens: string[] = []
  for (let i = 0; i < plan.length; i += 50) tokens.push(...(await Promise.all(plan.slice(i, i + 50).map(({ user, server }) => streamToken(server.url, user)))))
  await settle(1_000)
  const idleKb = rssOfAll(servers)
  const streams: EventStreamClient[] = []
  const problems: string[] = []
  try {
    for (let i = 0; i < plan.length; i += 50) {
      streams.push(...(await Promise.all(plan.slice(i, i + 50).map(({ server }, j) => openEventStream(server.url, tokens[i + j]!)))))
    }
    const refused = streams.filter((stream) => stream.status !== 200).length
    if (refused > 0) problems.push(`${refused} of ${count} streams refused`)
    await settle(2_000)
    const openKb = rssOfAll(servers)
    const publisher = new Redis(redisUrl)
    try {
      await redisEventPublisher({ client: publisher, onError: (error) => problems.push(`publish failed: ${String(error)}`) })(eventFor([...new Set(plan.map((p) => p.user))], 1, 'to every stream'))
    } finally {
      publisher.disconnect()
    }
    const deadline = Date.now() + 15_000
    while (streams.some((stream) => stream.events.length === 0) && Date.now() < deadline) await settle(100)
    const missed = streams.filter((stream) => stream.status === 200 && stream.events.length === 0).length
    if (missed > 0) problems.push(`${missed} of ${count} open streams did not get the event`)
    return {
      name: 'streams-1000',
      what: `${count} open event streams across ${servers.length} instances (Redis events), one event to all`,
      aboveIdleKb: openKb - idleKb,
      goalKb: (64 * 1024 * count) / 1_000, // the goal: 64 MiB for 1,000 streams
      detail: `RSS of the ${servers.length} servers ${mib(idleKb)} MiB idle, ${mib(openKb)} MiB with ${count - refused} streams open (${(((openKb - idleKb) * 1024) / Math.max(1, count)).toFixed(0)} bytes per stream); ${count - missed - refused} got the event`,
      problems
    }
  } finally {
    for (const stream of streams) stream.close()
  }
}

/**
 * `readers` stalled streams (one per user) on `server`, then `events` events of 1,000 characters to all of them
 * through Redis. The idle figure is taken warm: the same events first went to one reading stream, so what the runtime
 * spends once (compiled code, the heap grown to its working size) is not counted as the stalled streams' cost; the
 * cold figure is reported too. The peak is the kernel's (`VmHWM`), so no sample misses it.
 */
export async function probeStalledStreams(server: ApiServerProcess, users: readonly LoadUser[], readers: number, events: number, redisUrl: string): Promise<MemoryResult> {
  const chosen = users.slice(0, readers)
  const reading = users[readers]!
  const problems: string[] = []
  const publisher = new Redis(redisUrl)
  const publish = redisEventPublisher({ client: publisher, onError: (error) => problems.push(`publish failed: ${String(error)}`) })
  const text = 'x'.repeat(1_000)
  try {
    const tokens = await Promise.all(chosen.map((user) => streamToken(server.url, user)))
    const coldKb = server.sampleRss()
    const warm = await openEventStream(server.url, await streamToken(server.url, reading))
    for (let n = 1; n <= events; n++) await publish(eventFor([reading], n, text))
    warm.close()
    await settle(2_000)
    const idleKb = server.sampleRss()
    const stalled = await Promise.all(tokens.map((token) => stalledReader(server.url, token)))
    server.resetPeak()
    for (let n = 1; n <= events; n++) await publish(eventFor(chosen, n, text))
    await settle(1_000)
    const peakKb = Math.max(server.highWaterKb(), server.sampleRss())
    // Read out: a dropped stream ends after what reached it; one the kernel's buffers took whole stays open.
    const received = await Promise.all(stalled.map((reader) => reader.drain()))
    const dropped = received.filter((reader) => reader.ended).length
    const after = await openEventStream(server.url, await streamToken(server.url, reading))
    if (after.status !== 200) problems.push(`the server refused a stream afterwards (${after.status})`)
    after.close()
    const got = received.map((reader) => reader.events)
    return {
      name: 'stalled-20',
      what: `${readers} stalled event streams fed ${events} events of 1,000 characters through Redis`,
      aboveIdleKb: peakKb - idleKb,
      goalKb: 16 * 1024,
      detail:
        `RSS ${mib(idleKb)} MiB idle (warm; ${mib(coldKb)} MiB before any event), peak ${mib(peakKb)} MiB while feeding ` +
        `(${mib((readers * events * 1_100) / 1024)} MiB were sent); ${dropped} of ${readers} dropped, each reader got ${Math.min(...got)}–${Math.max(...got)} events ` +
        "(what the server did not hold, the kernel's socket buffers did: up to 4 MiB a socket on Linux)",
      problems
    }
  } finally {
    publisher.disconnect()
  }
}
