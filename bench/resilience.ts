// Section: what idempotent sends cost, and how soon the example API gives up when DynamoDB is out of reach.
import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { ulid } from 'ulid'
import { createMessaging } from '../src/index.js'
import { meterCapacity } from '../src/cli/capacityMeter.js'
import { devAuth } from '../examples/api-server/src/auth.js'
import { buildServer } from '../examples/api-server/src/buildServer.js'
import { dynamoDbClient, readConfig } from '../examples/api-server/src/config.js'
import { loadUserDirectory } from '../examples/api-server/src/users.js'
import { injectFaults } from '../test/support/faults.js'
import { clientFor, createTable, person } from './engine.js'
import { fmt, median, type Figure } from './report.js'

const SECTION = '10. Idempotent sends and outages (example API server)'

export async function benchResilience(endpoint: string, options: { samples: number }): Promise<Figure[]> {
  return [...(await sendCosts(endpoint)), ...(await outageTimes(endpoint, options.samples))]
}

/** Capacity of a send with and without a client-chosen id, and of a retry of it, as DynamoDB Local reports it. */
async function sendCosts(endpoint: string): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const meter = meterCapacity(client, { level: 'INDEXES' })
  const tableName = await createTable(client, 'idempotent')
  const messaging = createMessaging({ client, tableName })
  const [alice, bob] = [person('alice'), person('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
  const measure = async (send: () => Promise<unknown>) => {
    meter.reset()
    await send()
    return meter.snapshot()
  }
  // Bob's first send marks the conversation read for him (his row leaves unread-index): compare sends after it.
  await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'warm up' })
  const plain = await measure(() => messaging.createMessage({ messageGroupUuid, sender: bob, message: 'plain' }))
  const messageId = ulid()
  const withId = await measure(() => messaging.createMessage({ messageGroupUuid, sender: bob, message: 'with id', messageId }))
  const replay = await measure(() => messaging.createMessage({ messageGroupUuid, sender: bob, message: 'with id', messageId }))
  client.destroy()
  return [
    {
      section: SECTION,
      figure: 'a send with messageId, units (write / read)',
      measured: `${fmt(withId.writeUnits)} / ${fmt(withId.readUnits)} vs without ${fmt(plain.writeUnits)} / ${fmt(plain.readUnits)}`,
      goal: 'the same as without an id (no extra item, no transaction)',
      met: withId.writeUnits === plain.writeUnits && withId.readUnits === plain.readUnits
    },
    {
      section: SECTION,
      figure: 'its retry (the same id), units (write / read)',
      measured: `${fmt(replay.writeUnits)} / ${fmt(replay.readUnits)} as reported; DynamoDB also bills the refused conditional put (1 write unit)`,
      goal: '≤ 1 write (the refused put) + the membership read + 1 consistent read; nothing stored',
      met: replay.writeUnits <= 1 && replay.readUnits <= 2 * plain.readUnits
    }
  ]
}

/** Time from a POST to its 503 with the server's default client settings, for three kinds of outage. */
async function outageTimes(endpoint: string, samples: number): Promise<Figure[]> {
  const defaults = readConfig({}).dynamoDb
  const users = await loadUserDirectory()
  const body = JSON.stringify({ message: 'anyone there?', message_group_uuid: '5ae290ed-55d1-47a0-bc6d-fe2bc2700399' })

  async function timeTo503(client: ReturnType<typeof dynamoDbClient>): Promise<{ ms: number; statuses: Set<number> }> {
    const server = buildServer({ messaging: createMessaging({ client }), users, auth: devAuth() })
    const url = await server.listen({ port: 0, host: '127.0.0.1' })
    const times: number[] = []
    const statuses = new Set<number>()
    try {
      for (let i = 0; i < samples; i++) {
        const started = performance.now()
        const response = await fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { authorization: 'Bearer dev:ben', 'content-type': 'application/json' },
          body
        })
        await response.text()
        times.push(performance.now() - started)
        statuses.add(response.status)
      }
    } finally {
      await server.close()
      client.destroy()
    }
    return { ms: median(times), statuses }
  }
  const clientAt = (url: string) => dynamoDbClient({ endpoint: url, region: 'local', dynamoDb: defaults }, {})

  // Closed port: connections refused at once.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const closedPort = (probe.address() as AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
  const refused = await timeTo503(clientAt(`http://127.0.0.1:${closedPort}`))

  // Traffic cut: the endpoint accepts connections and never answers.
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => void sockets.add(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const cut = await timeTo503(clientAt(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`))
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => silent.close(resolve))

  // Throttled: the real engine behind, every attempt answered ProvisionedThroughputExceeded.
  const throttledClient = clientAt(endpoint)
  injectFaults(
    throttledClient,
    () => ({ fail: Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: { httpStatusCode: 400 } }) }),
    { perAttempt: true }
  )
  const throttled = await timeTo503(throttledClient)

  const row = (what: string, result: { ms: number; statuses: Set<number> }, goalMs: number): Figure => ({
    section: SECTION,
    figure: `POST /api/messages until its 503, ${what} (median of ${samples})`,
    measured: `${fmt(result.ms / 1000)} s, status ${[...result.statuses].join(', ')}`,
    goal: `503 within ${goalMs / 1000} s (${defaults.maxAttempts} attempts of ≤ ${defaults.timeoutMs / 1000} s)`,
    met: result.ms <= goalMs && result.statuses.size === 1 && result.statuses.has(503)
  })
  return [row('DynamoDB down (port closed)', refused, 1_000), row('traffic cut (no answer)', cut, 4_000), row('throttled on every attempt', throttled, 4_000)]
}
