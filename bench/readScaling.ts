import { randomUUID } from 'node:crypto'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createMessaging, messagePk, messageSk } from '../src/index.js'
import { meterCapacity } from '../src/cli/capacityMeter.js'
import { batchPut, clientFor, createTable, person } from './engine.js'
import { fmt, median, type Figure } from './report.js'
import { ulid } from 'ulid'

const SECTION = '2. Read cost does not grow with data'

/** Figure 2: a page of A and of B with few versus many messages in the table; membership with 1 versus many conversations. */
export async function benchReadScaling(endpoint: string, options: { messages: number; conversations: number; samples: number }): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const meter = meterCapacity(client, { level: 'INDEXES' })
  const doc = DynamoDBDocumentClient.from(client)
  const tableName = await createTable(client, 'scaling')
  const messaging = createMessaging({ client, tableName })

  const [alice, bob] = [person('alice'), person('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
  const base = Date.parse('2025-06-01T00:00:00.000Z')
  await batchPut(doc, tableName, Array.from({ length: 99 }, (_, i) => messageRow(messageGroupUuid, alice, base + i * 1000)))

  const measure = async (run: () => Promise<unknown>) => {
    const latencies: number[] = []
    meter.reset()
    await run()
    const units = meter.snapshot().readUnits
    for (let i = 0; i < options.samples; i++) {
      const start = performance.now()
      await run()
      latencies.push(performance.now() - start)
    }
    return { units, ms: median(latencies) }
  }
  const pageA = () => messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid, limit: 20 })
  const pageB = () => messaging.listMessageGroups({ userUuid: alice.uuid, limit: 20 })
  const smallA = await measure(pageA)
  const smallB = await measure(pageB)

  // Grow the table: more messages in the same conversation and in 100 others.
  const others = Array.from({ length: 100 }, () => randomUUID())
  const extra = options.messages - 100
  await batchPut(
    doc,
    tableName,
    Array.from({ length: extra }, (_, i) => messageRow(i % 2 ? messageGroupUuid : others[i % others.length]!, bob, base - (i + 1) * 1000))
  )
  const largeA = await measure(pageA)
  const largeB = await measure(pageB)

  // Membership: the same check for a user in 1 conversation and one in many.
  const [loner, popular] = [person('loner'), person('popular')]
  const lonerGroup = (await messaging.createMessageGroup({ sender: loner, recipient: bob, message: 'hi' })).messageGroupUuid
  let popularGroup = ''
  for (let i = 0; i < options.conversations; i++) {
    popularGroup = (await messaging.createMessageGroup({ sender: popular, recipient: person(`friend${i}`), message: 'hi' })).messageGroupUuid
  }
  const fewMembership = await measure(() => messaging.getParticipants(lonerGroup))
  const manyMembership = await measure(() => messaging.getParticipants(popularGroup))
  client.destroy()

  const row = (figure: string, small: { units: number; ms: number }, large: { units: number; ms: number }, sizes: string): Figure => ({
    section: SECTION,
    figure,
    measured: `${fmt(small.units)} → ${fmt(large.units)} RCU; ${fmt(small.ms)} → ${fmt(large.ms)} ms (${sizes})`,
    goal: 'same capacity units',
    met: small.units === large.units
  })
  return [
    row('A: one page of 20 messages', smallA, largeA, `100 → ${options.messages} messages`),
    row('B: one page of 20 conversations', smallB, largeB, `100 → ${options.messages} messages`),
    row('membership check', fewMembership, manyMembership, `1 → ${options.conversations} conversations`)
  ]
}

const messageRow = (group: string, sender: { uuid: string; displayName: string; handle: string }, at: number) => ({
  pk: messagePk(group),
  sk: messageSk(new Date(at), ulid(at)),
  message_uuid: randomUUID(),
  message: `message at ${new Date(at).toISOString()}`,
  user_uuid: sender.uuid,
  user_display_name: sender.displayName,
  user_handle: sender.handle
})
