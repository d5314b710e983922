import { afterAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { createMessaging, createStreamHandler, type RowMove } from '../../src/index.js'
import { recordRequests } from '../../bench/billing/recordRequests.js'
import { seedsSendMessage, seedsStreamFunction } from '../../bench/seedsAlgorithm.js'
import { engineClient, testTable, user } from '../support/engine.js'
import { insertRecordOf } from '../support/streamRecords.js'

// The billed-cost model (bench/billing) end to end: requests recorded on a client talking to DynamoDB Local, the
// items' before and after images read from the engine, and units computed by DynamoDB's billing rules. The figures
// are the ones docs/costs.md derives by hand.
const { tableName } = await testTable('billed-cost')
const client = engineClient()
const probe = engineClient()
afterAll(() => {
  client.destroy()
  probe.destroy()
})
const recorder = recordRequests(client, probe)
const doc = DynamoDBDocumentClient.from(client)
const messaging = createMessaging({ client, tableName })

let sequence = 1
/** The stream fan-out of one message, after a first move (the steady state), billed. */
async function loneFanOut(rowMove: RowMove, unreadCounts: boolean) {
  const handler = createStreamHandler({ client, tableName, rowMove, unreadCounts })
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  await handler({ Records: [insertRecordOf(await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'warm' }), sequence++)] })
  const message = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'one message' })
  recorder.reset()
  await handler({ Records: [insertRecordOf(message, sequence++)] })
  return recorder.bill()
}

describe('the billed-cost model against DynamoDB Local', () => {
  it("bills the seeds' lone-message fan-out at 8 WCU and 0.5 RCU", async () => {
    const group = randomUUID()
    const [carol, dan] = [user('carol'), user('dan')]
    for (const [owner, other] of [[carol, dan], [dan, carol]] as const) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { pk: `GRP#${owner.uuid}`, sk: '2026-01-01T00:00:00+00:00', message_group_uuid: group, message: 'hi', user_uuid: other.uuid } }))
    }
    await seedsSendMessage(doc, tableName, group, { ...carol }, 'one message', '2026-01-01T00:00:01+00:00')
    recorder.reset()
    await seedsStreamFunction(doc, tableName, group, '2026-01-01T00:00:01+00:00', 'one message')
    expect(await recorder.bill()).toEqual({
      readUnits: 0.5,
      writeUnits: 8,
      tableWriteUnits: 4,
      indexWriteUnits: { 'message-group-sk-index': 4 },
      requests: 5
    })
  })

  it('bills the transaction at 14 WCU, the ordered move at 10, and the ordered move without counts at 8', async () => {
    expect(await loneFanOut('transaction', true)).toMatchObject({ writeUnits: 14, tableWriteUnits: 8, indexWriteUnits: { 'message-group-sk-index': 4, 'unread-index': 2 } })
    expect(await loneFanOut('ordered', true)).toMatchObject({ writeUnits: 10, tableWriteUnits: 4, indexWriteUnits: { 'message-group-sk-index': 4, 'unread-index': 2 } })
    // No read of the new messages either: the index Query alone.
    expect(await loneFanOut('ordered', false)).toEqual({ readUnits: 0.5, writeUnits: 8, tableWriteUnits: 4, indexWriteUnits: { 'message-group-sk-index': 4 }, requests: 5 })
  })

  it('bills a Query with a projection by the items it evaluated, not by what it returned', async () => {
    const group = randomUUID()
    const text = 'x'.repeat(1_000)
    for (let i = 0; i < 10; i++) await seedsSendMessage(doc, tableName, group, user('eve'), text, `2026-01-01T00:00:0${i}+00:00`)
    recorder.reset()
    // 10 items of about 1.2 KB evaluated: 3 × 4 KB, strongly consistent; the projection returns a few bytes each.
    await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `MSG#${group}` }, ProjectionExpression: 'sk', ConsistentRead: true }))
    expect((await recorder.bill()).readUnits).toBe(3) // what it returned (about 300 bytes) would be 1
  })
})
