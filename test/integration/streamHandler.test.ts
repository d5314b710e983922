import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { randomUUID } from 'node:crypto'
import { createMessaging, createStreamHandler, messagePk, rowKey, type DynamoDBStreamRecord, type Message } from '../../src/index.js'
import type { StreamSkipReason } from '../../src/stream/index.js'
import { engineClient, testTable, user } from '../support/engine.js'
import { injectFaults, type FaultRule } from '../support/faults.js'
import { rowOf, rowView, settledRow } from '../support/layout.js'
import { deliverLikeLambda, insertRecordOf } from '../support/streamRecords.js'
import { wireFaults } from '../support/wireFaults.js'

const calls: string[] = []
const { client: admin, tableName } = await testTable('stream-handler')
// The stream does all the row writes here: the sender's own row is not brought to the send.
const messaging = createMessaging({ client: admin, tableName, updateSenderRow: false })
let rule: FaultRule = () => undefined
const faulty = engineClient({ maxAttempts: 1 }) // SDK retries off: each injected fault reaches the handler
injectFaults(faulty, (name, input) => {
  calls.push(name)
  return rule(name, input)
})
afterAll(() => faulty.destroy())
// Throttling and network errors go through the proxy, on the wire; the mock above fakes what it cannot (a write that
// never completes, a row changed at a chosen moment, a stale read).
const wire = await wireFaults()
beforeEach(() => {
  rule = () => undefined
  calls.length = 0
})

let sequence = 1000
/** A conversation with `count` replies; returns its messages oldest first and their stream records in order. */
async function conversation(count: number) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message: first } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'm0' })
  const messages: Message[] = [first]
  for (let i = 1; i <= count; i++) {
    messages.push(await messaging.createMessage({ messageGroupUuid, sender: i % 2 ? bob : alice, message: `m${i}` }))
  }
  return { messageGroupUuid, owners: [alice.uuid, bob.uuid], messages, records: messages.map((m) => insertRecordOf(m, sequence++)) }
}

/** The model: each member's row at the newest message, read up to their own newest, counting the others' after it. */
async function expectCurrent(group: { messageGroupUuid: string; owners: string[]; messages: Message[] }, reads: Record<string, string> = {}) {
  for (const owner of group.owners) {
    expect(rowView(await rowOf(admin, tableName, owner, group.messageGroupUuid))).toEqual(settledRow(group.messages, owner, reads[owner]))
  }
}

const sequenceNumbers = (records: DynamoDBStreamRecord[]) => records.map((record) => record.dynamodb!.SequenceNumber)

describe('createStreamHandler', () => {
  it('coalesces a burst into one conversation: its members, their rows, the new messages, one UpdateItem per row', async () => {
    const group = await conversation(100)
    const handler = createStreamHandler({ client: faulty, tableName })
    expect(await handler({ Records: group.records })).toEqual({ batchItemFailures: [] })
    expect(calls).toEqual(['QueryCommand', 'BatchGetItemCommand', 'QueryCommand', 'UpdateItemCommand', 'UpdateItemCommand'])
    await expectCurrent(group)
  })

  it('writes nothing for a batch delivered again: the rows are current', async () => {
    const group = await conversation(3)
    const handler = createStreamHandler({ client: faulty, tableName })
    await handler({ Records: group.records })
    calls.length = 0
    const skipped: StreamSkipReason[] = []
    const applied: string[] = []
    const again = createStreamHandler({ client: faulty, tableName, onSkip: (_, reason) => skipped.push(reason), onApplied: (a) => void applied.push(a.messageGroupUuid) })
    expect(await again({ Records: group.records })).toEqual({ batchItemFailures: [] })
    expect(calls.filter((name) => name === 'UpdateItemCommand')).toEqual([])
    expect(applied).toEqual([group.messageGroupUuid]) // at least once: told again, rows untouched
    expect(skipped).toEqual([])
    await expectCurrent(group)
  })

  it('processes every record of a mixed batch (the seeds stopped at Records[0] and returned on REMOVE)', async () => {
    const [one, two] = [await conversation(2), await conversation(3)]
    const skipped: string[] = []
    const handler = createStreamHandler({ client: admin, tableName, onSkip: (_, reason) => skipped.push(reason) })
    const remove = { eventName: 'REMOVE', dynamodb: { Keys: { pk: { S: 'MSG#x' } }, SequenceNumber: String(sequence++) } }
    const rowChange = { eventName: 'INSERT', dynamodb: { NewImage: { pk: { S: 'GRP#x' }, sk: { S: messagePk(one.messageGroupUuid) } } } }
    const membership = { eventName: 'INSERT', dynamodb: { NewImage: { pk: { S: messagePk(one.messageGroupUuid) }, sk: { S: '#MEMBER#x' } } } }
    const batch = [remove, ...one.records, rowChange, membership, ...two.records]
    expect(await handler({ Records: batch })).toEqual({ batchItemFailures: [] })
    expect(skipped).toEqual(['not-an-insert', 'not-a-message', 'not-a-message'])
    await expectCurrent(one)
    await expectCurrent(two)
  })

  it("reports only the records of the conversation whose member update was throttled, lowest first; redelivery finishes it", async () => {
    const [ok, throttled] = [await conversation(2), await conversation(2)]
    const handler = createStreamHandler({ client: wire.client, tableName, maxAttempts: 1 })
    // One of the two members' UpdateItems is throttled: the other member's row is written, and stays written.
    const [first, second] = throttled.owners
    wire.proxy.setRules([
      { fault: 'throughput', operations: ['UpdateItem'], times: 1, match: (body) => JSON.stringify(body).includes(`"GRP#${second}"`) }
    ])
    const interleaved = [ok.records[0]!, throttled.records[2]!, ok.records[1]!, throttled.records[0]!, ok.records[2]!, throttled.records[1]!]
    const errors: string[] = []
    const failed = await createStreamHandler({ client: wire.client, tableName, maxAttempts: 1, onError: (error, group) => void errors.push(`${group} ${(error as Error).name}`) })({
      Records: interleaved
    })
    expect(failed.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(sequenceNumbers(throttled.records))
    expect(errors).toEqual([`${throttled.messageGroupUuid} ProvisionedThroughputExceededException`])
    expect(wire.proxy.stats.faults).toEqual({ 'UpdateItem:throughput': 1 })
    await expectCurrent(ok)
    expect((await rowOf(admin, tableName, first!, throttled.messageGroupUuid))?.last_sk).toBe(throttled.messages.at(-1)!.sortKey)
    expect((await rowOf(admin, tableName, second!, throttled.messageGroupUuid))?.last_sk).toBe(throttled.messages[0]!.sortKey)
    // Lambda delivers again from the lowest failure: the records of `ok` after it come again too, harmlessly.
    wire.proxy.resetStats()
    expect(await deliverLikeLambda(handler, interleaved.slice(interleaved.indexOf(throttled.records[2]!)))).toBe(1)
    expect(wire.proxy.stats.requests.UpdateItem).toBe(1) // only the row left behind
    await expectCurrent(throttled)
    await expectCurrent(ok)
  })

  it('recovers from network errors on its reads (members, rows, messages)', async () => {
    const group = await conversation(3)
    const handler = createStreamHandler({ client: wire.client, tableName })
    wire.proxy.setRules([
      { fault: 'reset', operations: ['Query'], times: 2 },
      { fault: 'reset', operations: ['BatchGetItem'], times: 1 }
    ])
    expect(await deliverLikeLambda(handler, group.records)).toBe(4)
    expect(wire.proxy.stats.faults).toEqual({ 'Query:reset': 2, 'BatchGetItem:reset': 1 })
    await expectCurrent(group)
  })

  it("loses no markRead to a row changed between the handler's read and its write: refused, read again, decided again", async () => {
    const group = await conversation(3)
    const [alice, bob] = group.owners as [string, string]
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1 })
    let read: Promise<unknown> | undefined
    rule = async (name) => {
      if (name !== 'UpdateItemCommand') return undefined
      // Bob reads the conversation while the handler holds the rows it read: both its writes wait for that.
      read ??= messaging.markRead({ messageGroupUuid: group.messageGroupUuid, userUuid: bob, upTo: group.messages[2]!.sortKey })
      await read
      return undefined
    }
    expect(await handler({ Records: group.records })).toEqual({ batchItemFailures: [] })
    expect(calls.filter((name) => name === 'GetItemCommand').length).toBeGreaterThan(0) // the refused row, read again
    await expectCurrent(group, { [bob]: group.messages[2]!.sortKey })
    expect((await rowOf(admin, tableName, alice, group.messageGroupUuid))?.rev).toBe(2) // one write, never refused
  })

  it('decides again from a stale (eventually consistent) row read: the write is refused and the row read consistently', async () => {
    const group = await conversation(3)
    await createStreamHandler({ client: admin, tableName })({ Records: group.records.slice(0, 2) })
    const stale = await Promise.all(group.owners.map((owner) => rowOf(admin, tableName, owner, group.messageGroupUuid)))
    await createStreamHandler({ client: admin, tableName })({ Records: group.records.slice(2, 3) })
    let staleReads = 1
    rule = (name, input) => {
      const consistent = (input.RequestItems as Record<string, { ConsistentRead?: boolean }>)?.[tableName]?.ConsistentRead
      return name === 'BatchGetItemCommand' && !consistent && staleReads-- > 0 ? { answer: { Responses: { [tableName]: stale } } } : undefined
    }
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1 })
    expect(await handler({ Records: group.records })).toEqual({ batchItemFailures: [] })
    expect(staleReads).toBe(0)
    expect(calls.filter((name) => name === 'GetItemCommand')).toHaveLength(2) // both writes refused, both rows read again
    await expectCurrent(group)
  })

  it('reports the records when rows keep changing through every attempt (ConcurrentUpdateError), then converges', async () => {
    const group = await conversation(2)
    const bob = group.owners[1]!
    // Another writer changes bob's row before each of the handler's writes lands.
    rule = async (name) => {
      if (name !== 'UpdateItemCommand') return undefined
      await DynamoDBDocumentClient.from(admin).send(
        new UpdateCommand({ TableName: tableName, Key: rowKey(bob, group.messageGroupUuid), UpdateExpression: 'ADD rev :one', ExpressionAttributeValues: { ':one': 1 } })
      )
      return undefined
    }
    const errors: string[] = []
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1, maxAttempts: 2, onError: (error) => void errors.push((error as Error).name) })
    const first = await handler({ Records: group.records })
    expect(first.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(sequenceNumbers(group.records))
    expect(errors).toEqual(['ConcurrentUpdateError'])
    rule = () => undefined
    expect(await deliverLikeLambda(handler, group.records)).toBe(1)
    await expectCurrent(group)
  })

  it('loses nothing when the process dies between two conversations\' writes', async () => {
    const [a, b] = [await conversation(2), await conversation(2)]
    const handler = createStreamHandler({ client: faulty, tableName, concurrency: 1 })
    let writes = 0
    let died: () => void = () => {}
    const death = new Promise<never>((_, reject) => (died = () => reject(new Error('process died'))))
    death.catch(() => {})
    rule = (name) => {
      if (name === 'UpdateItemCommand' && ++writes === 3) {
        died()
        return { answer: new Promise(() => {}) as never } // this write never happens
      }
      return undefined
    }
    const batch = [...a.records, ...b.records]
    let invocation = 0
    // The first invocation dies mid-way (its pending write never completes); Lambda then invokes again.
    const invoke = (event: Parameters<typeof handler>[0]) => (++invocation === 1 ? Promise.race([handler(event), death]) : handler(event))
    const invocations = await deliverLikeLambda(handler, batch, invoke)
    expect(invocations).toBe(2)
    await expectCurrent(a)
    await expectCurrent(b)
  })

  it("skips a message of a conversation without members (another's table, not adopted) and one whose key is not a uuid", async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const orphan = randomUUID()
    const items = [
      { pk: messagePk(orphan), sk: '2023-03-01T10:00:00+00:00', message_uuid: randomUUID(), message: 'old', user_uuid: alice.uuid, user_display_name: 'Alice', user_handle: 'alice' },
      { pk: 'MSG#not-a-uuid', sk: '2023-03-01T10:00:00+00:00', message_uuid: randomUUID(), message: 'odd', user_uuid: bob.uuid, user_display_name: 'Bob', user_handle: 'bob' }
    ]
    await DynamoDBDocumentClient.from(admin).send(new BatchWriteCommand({ RequestItems: { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) } }))
    const record = (item: (typeof items)[number]): DynamoDBStreamRecord => ({
      eventName: 'INSERT',
      dynamodb: { NewImage: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { S: v }])), SequenceNumber: String(sequence++) }
    })
    const skipped: string[] = []
    const errors: unknown[] = []
    const handler = createStreamHandler({ client: admin, tableName, onSkip: (_, reason) => skipped.push(reason), onError: (error) => errors.push(error) })
    // Never failed: a record reported as failed again and again would hold its shard back until it expires.
    expect(await handler({ Records: items.map(record) })).toEqual({ batchItemFailures: [] })
    expect(errors).toEqual([])
    expect(skipped.sort()).toEqual(['no-members', 'not-a-message'])
  })

  it('leaves alone a row other code wrote without a revision, updating the other members and failing nothing', async () => {
    const group = await conversation(1)
    const [alice, bob] = group.owners as [string, string]
    const documents = DynamoDBDocumentClient.from(admin)
    await documents.send(new UpdateCommand({ TableName: tableName, Key: rowKey(bob, group.messageGroupUuid), UpdateExpression: 'REMOVE rev' }))
    const errors: unknown[] = []
    const handler = createStreamHandler({ client: admin, tableName, onError: (error) => errors.push(error) })
    // Its write could never be made (no revision to condition on): planned, it would fail these records for ever.
    expect(await handler({ Records: group.records })).toEqual({ batchItemFailures: [] })
    expect(errors).toEqual([])
    expect((await rowOf(admin, tableName, alice, group.messageGroupUuid))?.last_sk).toBe(group.messages[1]!.sortKey)
    expect(await rowOf(admin, tableName, bob, group.messageGroupUuid)).not.toHaveProperty('rev')
  })

  it('skips a record built to throw (getter, Proxy) and applies the rest of the batch', async () => {
    const [one, two] = [await conversation(2), await conversation(1)]
    const skipped: string[] = []
    const handler = createStreamHandler({ client: admin, tableName, onSkip: (_, reason, detail) => skipped.push(`${reason}: ${detail}`) })
    const throwingGetter = { eventName: 'INSERT' } as DynamoDBStreamRecord
    Object.defineProperty(throwingGetter, 'dynamodb', { get: () => { throw new Error('hostile getter') } })
    const trap = () => { throw new Error('hostile trap') }
    const proxy = new Proxy(insertRecordOf(one.messages[0]!, sequence++), { get: trap, has: trap })
    const batch = [one.records[0]!, throwingGetter, ...one.records.slice(1), proxy, ...two.records]
    expect(await handler({ Records: batch })).toEqual({ batchItemFailures: [] })
    expect(skipped).toEqual(['malformed: unreadable record: Error: hostile getter', 'malformed: unreadable record: Error: hostile trap'])
    await expectCurrent(one)
    await expectCurrent(two)
  })

  it('reports a failed record whose sequence number cannot be read as "" (Lambda retries the whole batch)', async () => {
    const group = await conversation(1)
    const hostile = insertRecordOf(group.messages[1]!, sequence++)
    Object.defineProperty(hostile.dynamodb!, 'SequenceNumber', { get: () => { throw new Error('hostile getter') } })
    wire.proxy.setRules([{ fault: 'throughput', operations: ['UpdateItem'] }])
    const handler = createStreamHandler({ client: wire.client, tableName, maxAttempts: 1 })
    const { batchItemFailures } = await handler({ Records: [group.records[0]!, hostile] })
    expect(batchItemFailures).toEqual([{ itemIdentifier: '' }, { itemIdentifier: group.records[0]!.dynamodb!.SequenceNumber }])
  })

  it('returns no failures for an empty or malformed event', async () => {
    const handler = createStreamHandler({ client: admin, tableName })
    expect(await handler({ Records: [] })).toEqual({ batchItemFailures: [] })
    expect(await handler({} as never)).toEqual({ batchItemFailures: [] })
  })
})
