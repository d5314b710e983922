import { afterAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { recordRequests } from '../../bench/billing/recordRequests.js'
import { measureOurs, measureSeeds, readBudget, type Before, type Measured } from '../../bench/billing/scenarios.js'
import { seedsSendMessage, seedsTableDefinition } from '../../bench/seedsAlgorithm.js'
import { engineClient, testTable, user } from '../support/engine.js'

// The billed-cost model (bench/billing) end to end: every request recorded on a client talking to DynamoDB Local, the
// items' before and after images read from the engine, units computed by DynamoDB's billing rules, and checked against
// what DynamoDB Local itself reports (`ReturnConsumedCapacity: INDEXES`) for the same requests. The figures are the
// ones docs/costs.md derives by hand; the goals beside them are the bench's (section 11).
const { tableName } = await testTable('billed-cost')
const client = engineClient()
const probe = engineClient()
const seedsTable = `billed-cost-seeds-${randomUUID().slice(0, 8)}`
await client.send(new CreateTableCommand(seedsTableDefinition(seedsTable)))
afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: seedsTable }))
  client.destroy()
  probe.destroy()
})
const recorder = recordRequests(client, probe)
const ours = { client, recorder, tableName }
const seeds = { client, recorder, tableName: seedsTable }

/** Billed and reported agree, phase by phase (no transaction, whose units DynamoDB Local under-reports). */
function expectEngineAgrees(measured: Measured) {
  expect(measured.send.reported).toEqual(measured.send.billed)
  expect(measured.fanOut.reported).toEqual(measured.fanOut.billed)
}
const writeUnits = (m: Measured) => m.send.billed.writeUnits + m.fanOut.billed.writeUnits

describe('the billed-cost model against DynamoDB Local', () => {
  it("bills the seeds' lone message at 9 WCU (put 1, two deletes and two puts with their index entries 8) and 0.5 RCU", async () => {
    const measured = await measureSeeds(seeds, { burst: 1 })
    expect(measured.send.billed).toEqual({ readUnits: 0, writeUnits: 1, tableWriteUnits: 1, indexWriteUnits: {} })
    expect(measured.fanOut.billed).toEqual({ readUnits: 0.5, writeUnits: 8, tableWriteUnits: 4, indexWriteUnits: { 'message-group-sk-index': 4 } })
    expectEngineAgrees(measured)
  })

  it.each<[Before, number, Record<string, number>]>([
    // put 1, sender's row 1 + inbox-index 2, recipient's row 1 + inbox-index 2 + unread-index 1 (the row enters it)
    ['nothing-unread', 8, { 'inbox-index': 4, 'unread-index': 1 }],
    // the recipient's row is in unread-index already, which holds keys only: a changed count costs it nothing
    ['recipient-unread', 7, { 'inbox-index': 4 }],
    // and the sender's row leaves unread-index: 1 more
    ['sender-unread', 9, { 'inbox-index': 4, 'unread-index': 2 }]
  ])('bills a lone message, %s, at %i WCU, send and fan-out together, with no transaction', async (before, total, indexes) => {
    const measured = await measureOurs(ours, { before, burst: 1 })
    expect(writeUnits(measured)).toBe(total)
    expect(measured.send.billed.tableWriteUnits + measured.fanOut.billed.tableWriteUnits).toBe(3)
    const indexWrites: Record<string, number> = {}
    for (const phase of [measured.send, measured.fanOut]) {
      for (const [name, units] of Object.entries(phase.billed.indexWriteUnits)) indexWrites[name] = (indexWrites[name] ?? 0) + units
    }
    expect(indexWrites).toEqual(indexes)
    expect(measured.writeOperations).not.toContain('TransactWriteItems')
    expectEngineAgrees(measured)
  })

  it('updates the sender\'s row in the send (3 WCU there); without it the stream does, for the same total', async () => {
    const inSend = await measureOurs(ours, { before: 'nothing-unread', burst: 1 })
    expect(inSend.send.billed.writeUnits).toBe(4) // the put, the row and its inbox-index key change
    const fromStream = await measureOurs(ours, { before: 'nothing-unread', burst: 1, updateSenderRow: false })
    expect(fromStream.send.billed.writeUnits).toBe(1)
    expect(writeUnits(fromStream)).toBe(writeUnits(inSend))
    expectEngineAgrees(fromStream)
  })

  it('bills a burst of 10 from one side in one batch at 43 WCU against the seeds\' 90, and reads within the budget', async () => {
    const measured = await measureOurs(ours, { before: 'recipient-unread', burst: 10 })
    // 10 × (put 1 + the sender's row 3), then the recipient's row once: 3 (already in unread-index, keys only).
    expect(writeUnits(measured)).toBe(43)
    expect(writeUnits(await measureSeeds(seeds, { burst: 10 }))).toBe(90)
    expect(measured.writeOperations).not.toContain('TransactWriteItems')
    // Members 1 (one consistent Query), rows 2 × 0.5 (BatchGetItem), the new messages 1 (consistent Query).
    expect(measured.fanOutReads.map((read) => `${read.operation} ${read.readUnits}`)).toEqual(['Query 1', 'BatchGetItem 1', 'Query 1'])
    expect(measured.fanOut.billed.readUnits).toBeLessThanOrEqual(readBudget(2, measured.messageBytes))
    expectEngineAgrees(measured)
  })

  it('reads only the messages the counts need, also near the 4 KB a read unit holds', async () => {
    // A 3.2 KB message after a 2.5 KB one: the counts need the new one alone (1 RCU); the one the row shows is not
    // read again (with it, 5.7 KB: 2 RCU).
    const measured = await measureOurs(ours, { before: 'recipient-unread', burst: 1, text: '€'.repeat(1_000), previousText: '€'.repeat(750) })
    expect(measured.messageBytes).toBeGreaterThan(3_000)
    expect(measured.fanOutReads.map((read) => `${read.operation} ${read.readUnits}`)).toEqual(['Query 1', 'BatchGetItem 1', 'Query 1'])
    expect(measured.fanOut.billed.readUnits).toBeLessThanOrEqual(readBudget(2, measured.messageBytes))
    expectEngineAgrees(measured)
  })

  it('bills a Query with a projection by the items it evaluated, not by what it returned', async () => {
    const group = randomUUID()
    const doc = DynamoDBDocumentClient.from(client)
    const text = 'x'.repeat(1_000)
    for (let i = 0; i < 10; i++) await seedsSendMessage(doc, seedsTable, group, user('eve'), text, `2026-01-01T00:00:0${i}+00:00`)
    recorder.reset()
    // 10 items of about 1.2 KB evaluated: 3 × 4 KB, strongly consistent; the projection returns a few bytes each.
    await doc.send(new QueryCommand({ TableName: seedsTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `MSG#${group}` }, ProjectionExpression: 'sk', ConsistentRead: true }))
    expect((await recorder.bill()).readUnits).toBe(3) // what it returned (about 300 bytes) would be 1
    expect(recorder.reported().readUnits).toBe(3)
  })
})
