import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler, type DynamoDBStreamRecord, type Message } from '../../src/index.js'
import { engineClient, scanAll, testTable, user } from '../support/engine.js'
import { awsError, injectFaults, type FaultRule } from '../support/faults.js'
import { deliverLikeLambda, insertRecordOf } from '../support/streamRecords.js'
import { wireFaults } from '../support/wireFaults.js'

const calls: string[] = []
const { client: admin, tableName } = await testTable('stream-handler')
const messaging = createMessaging({ client: admin, tableName })
let rule: FaultRule = () => undefined
const faulty = engineClient({ maxAttempts: 1 }) // SDK retries off: each injected fault reaches the handler
injectFaults(faulty, (name, input) => {
  calls.push(name)
  return rule(name, input)
})
afterAll(() => faulty.destroy())
// Throttling and network errors go through the proxy, on the wire; the mock above fakes what it cannot (a conditional
// cancellation at a chosen moment, a stale index, a write that never completes).
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

/** The model: each participant has exactly one row, at the conversation's newest message. */
async function expectCurrent(group: { messageGroupUuid: string; owners: string[]; messages: Message[] }) {
  const last = group.messages.at(-1)!
  const rows = (await scanAll(admin, tableName))
    .filter((item) => item.message_group_uuid === group.messageGroupUuid)
    .map((item) => [item.pk, item.sk, item.message])
    .sort()
  expect(rows).toEqual(group.owners.map((owner) => [`GRP#${owner}`, last.sortKey, last.message]).sort())
}

describe('createStreamHandler', () => {
  it('coalesces a burst into one conversation: one index read, one read of the new messages and one transaction for 100', async () => {
    const group = await conversation(100)
    const handler = createStreamHandler({ client: faulty, tableName })
    expect(await handler({ Records: group.records })).toEqual({ batchItemFailures: [] })
    expect(calls.filter((name) => name === 'QueryCommand')).toHaveLength(2) // the rows (index), the messages (counts)
    expect(calls.filter((name) => name === 'TransactWriteItemsCommand')).toHaveLength(1)
    await expectCurrent(group)
  })

  it('processes every record of a mixed batch (the seeds stopped at Records[0] and returned on REMOVE)', async () => {
    const [one, two] = [await conversation(2), await conversation(3)]
    const skipped: string[] = []
    const handler = createStreamHandler({ client: admin, tableName, onSkip: (_, reason) => skipped.push(reason) })
    const remove = { eventName: 'REMOVE', dynamodb: { Keys: { pk: { S: 'MSG#x' } }, SequenceNumber: String(sequence++) } }
    const batch = [remove, ...one.records, { eventName: 'INSERT', dynamodb: { NewImage: { pk: { S: 'GRP#x' } } } }, ...two.records]
    expect(await handler({ Records: batch })).toEqual({ batchItemFailures: [] })
    expect(skipped).toEqual(['not-an-insert', 'not-a-message'])
    await expectCurrent(one)
    await expectCurrent(two)
  })

  it('reports only the failed conversation\'s records, lowest sequence number first, and converges on redelivery', async () => {
    const [ok, throttled] = [await conversation(2), await conversation(2)]
    const handler = createStreamHandler({ client: wire.client, tableName, maxAttempts: 1 })
    wire.proxy.setRules([
      {
        fault: 'throughput',
        operations: ['TransactWriteItems'],
        times: 1,
        match: (body) => JSON.stringify(body).includes(`"message_group_uuid":{"S":"${throttled.messageGroupUuid}"}`)
      }
    ])
    const interleaved = [ok.records[0]!, throttled.records[2]!, ok.records[1]!, throttled.records[0]!, ok.records[2]!, throttled.records[1]!]
    const first = await handler({ Records: interleaved })
    expect(first.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      [throttled.records[0]!, throttled.records[1]!, throttled.records[2]!].map((r) => r.dynamodb!.SequenceNumber)
    )
    await expectCurrent(ok)
    expect(await deliverLikeLambda(handler, interleaved)).toBe(1)
    await expectCurrent(throttled)
  })

  it('recovers from a network error on the index read', async () => {
    const group = await conversation(3)
    const handler = createStreamHandler({ client: wire.client, tableName })
    wire.proxy.setRules([{ fault: 'reset', operations: ['Query'], times: 2 }])
    expect(await deliverLikeLambda(handler, group.records)).toBe(3)
    expect(wire.proxy.stats.faults).toEqual({ 'Query:reset': 2 })
    await expectCurrent(group)
  })

  it('loses a race to a concurrent writer gracefully (conditional check fails, re-read, newer wins)', async () => {
    const group = await conversation(3)
    const handler = createStreamHandler({ client: faulty, tableName })
    let raced = false
    rule = (name) => {
      if (name === 'TransactWriteItemsCommand' && !raced) {
        raced = true
        // Another writer moves the rows to the newest message between our read and our write.
        return { fail: awsError('TransactionCanceledException', { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] }) }
      }
      return undefined
    }
    await messaging.updateMessageGroups(group.messages.at(-1)!)
    expect(await handler({ Records: group.records.slice(0, 2) })).toEqual({ batchItemFailures: [] })
    await expectCurrent(group) // the older records did not move anything back
  })

  it('loses nothing when the process dies between two conversations\' writes', async () => {
    const [a, b] = [await conversation(2), await conversation(2)]
    const handler = createStreamHandler({ client: faulty, tableName, concurrency: 1 })
    let writes = 0
    let died: () => void = () => {}
    const death = new Promise<never>((_, reject) => (died = () => reject(new Error('process died'))))
    death.catch(() => {})
    rule = (name) => {
      if (name === 'TransactWriteItemsCommand' && ++writes === 2) {
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

  it('re-reads past a stale index view that misses a newer row, leaving no duplicate', async () => {
    const group = await conversation(3)
    const staleItems = (await scanAll(admin, tableName)).filter((item) => item.message_group_uuid === group.messageGroupUuid)
    await messaging.updateMessageGroups(group.messages[2]!) // the table moves on; the "index" below does not
    let staleReads = 1
    rule = (name, input) => (name === 'QueryCommand' && input.IndexName && staleReads-- > 0 ? { answer: { Items: staleItems } } : undefined)
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1 })
    expect(await handler({ Records: group.records })).toEqual({ batchItemFailures: [] })
    expect(staleReads).toBe(-1)
    await expectCurrent(group)
  })

  it('reports records while the index stays stale, then converges once it catches up', async () => {
    const group = await conversation(2)
    const staleItems = (await scanAll(admin, tableName)).filter((item) => item.message_group_uuid === group.messageGroupUuid)
    await messaging.updateMessageGroups(group.messages[1]!)
    let staleReads = 4
    rule = (name, input) => (name === 'QueryCommand' && input.IndexName && staleReads-- > 0 ? { answer: { Items: staleItems } } : undefined)
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1, maxAttempts: 2 })
    const first = await handler({ Records: group.records })
    expect(first.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(group.records.map((r) => r.dynamodb!.SequenceNumber))
    expect(await deliverLikeLambda(handler, group.records)).toBeGreaterThan(1)
    await expectCurrent(group)
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
    wire.proxy.setRules([{ fault: 'throughput', operations: ['TransactWriteItems'] }])
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
