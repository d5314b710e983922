import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { createMessaging, createStreamHandler, type Message } from '../src/index.js'
import { insertRecordOf } from '../test/support/streamRecords.js'
import { meterCapacity } from '../src/cli/capacityMeter.js'
import { clientFor, createTable, person } from './engine.js'
import { fmt, type Figure } from './report.js'
import { seedsSendMessage, seedsStreamFunction } from './seedsAlgorithm.js'

const SECTION = '1. Capacity units per message, this library against the seeds\' algorithm'

/** Figure 1: one message into a two-person conversation, and a burst of 100 as one stream batch, stream fan-out included. */
export async function benchCapacity(endpoint: string): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const meter = meterCapacity(client, { level: 'INDEXES' })
  const doc = DynamoDBDocumentClient.from(client)
  const tableName = await createTable(client, 'capacity')
  const messaging = createMessaging({ client, tableName })
  const handler = createStreamHandler({ client, tableName })

  // Ours: Pattern C (membership read + conditional put), then the stream handler (GSI read, the new messages' read for
  // the unread counts, one transaction).
  const [alice, bob] = [person('alice'), person('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
  meter.reset()
  const one = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'one message' })
  const oursSend = meter.snapshot()
  await handler({ Records: [insertRecordOf(one, 1)] })
  const ours = meter.snapshot()
  meter.reset()
  await messaging.getParticipants(messageGroupUuid)
  const membership = meter.snapshot().readUnits

  // Seeds: same conversation shape, rows keyed by bare timestamps; put, then GSI query, delete and put per row.
  const [carol, dan] = [person('carol'), person('dan')]
  const seedsGroup = '0b5e1d6a-0000-4000-8000-00000000000a'
  const t0 = '2026-01-01T00:00:00.000000+00:00'
  await seedsSendMessage(doc, tableName, seedsGroup, carol, 'start', t0)
  for (const [owner, other] of [[carol, dan], [dan, carol]] as const) {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `GRP#${owner.uuid}`, sk: t0, message_group_uuid: seedsGroup, message: 'start', user_uuid: other.uuid, user_display_name: other.displayName, user_handle: other.handle }
      })
    )
  }
  meter.reset()
  const t1 = '2026-01-01T00:00:01.000000+00:00'
  await seedsSendMessage(doc, tableName, seedsGroup, dan, 'one message', t1)
  await seedsStreamFunction(doc, tableName, seedsGroup, t1, 'one message')
  const seeds = meter.snapshot()

  // A burst of 100 into one conversation, processed as one stream batch.
  const burst: Message[] = []
  meter.reset()
  for (let i = 0; i < 100; i++) burst.push(await messaging.createMessage({ messageGroupUuid, sender: alice, message: `burst ${i}` }))
  const oursBurstSend = meter.snapshot()
  await handler({ Records: burst.map((m, i) => insertRecordOf(m, 100 + i)) })
  const oursBurst = meter.snapshot()
  meter.reset()
  for (let i = 0; i < 100; i++) {
    const at = `2026-01-01T00:01:${String(Math.floor(i / 10)).padStart(2, '0')}.${String(i % 10)}00000+00:00`
    await seedsSendMessage(doc, tableName, seedsGroup, carol, `burst ${i}`, at)
  }
  const seedsBurstSend = meter.snapshot()
  for (let i = 0; i < 100; i++) {
    const at = `2026-01-01T00:01:${String(Math.floor(i / 10)).padStart(2, '0')}.${String(i % 10)}00000+00:00`
    await seedsStreamFunction(doc, tableName, seedsGroup, at, `burst ${i}`)
  }
  const seedsBurst = meter.snapshot()
  client.destroy()

  const oursFanOut = oursBurst.writeUnits - oursBurstSend.writeUnits
  const seedsFanOut = seedsBurst.writeUnits - seedsBurstSend.writeUnits
  return [
    {
      section: SECTION,
      figure: 'one message, write units (send + stream fan-out)',
      measured: `${fmt(ours.writeUnits)} (send ${fmt(oursSend.writeUnits)}) vs seeds ${fmt(seeds.writeUnits)}`,
      goal: '≤ seeds',
      met: ours.writeUnits <= seeds.writeUnits
    },
    {
      section: SECTION,
      figure: 'one message, read units',
      measured: `${fmt(ours.readUnits)} vs seeds ${fmt(seeds.readUnits)} + membership check ${fmt(membership)} + unread count's read 1`,
      goal: '≤ seeds + one membership check + one consistent read for the unread counts',
      met: ours.readUnits <= seeds.readUnits + membership + 1
    },
    {
      section: SECTION,
      figure: 'burst of 100 in one batch, stream fan-out write units',
      measured: `${fmt(oursFanOut)} vs seeds ${fmt(seedsFanOut)} (ratio ${fmt(oursFanOut / seedsFanOut, 3)})`,
      goal: '≤ 0.1 × seeds',
      met: oursFanOut <= 0.1 * seedsFanOut
    },
    {
      section: SECTION,
      figure: 'burst of 100, all units (sends included)',
      measured: `write ${fmt(oursBurst.writeUnits)} / read ${fmt(oursBurst.readUnits)} vs seeds write ${fmt(seedsBurst.writeUnits)} / read ${fmt(seedsBurst.readUnits)}`,
      goal: 'reported',
      met: undefined
    }
  ]
}
