import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import fc from 'fast-check'
import {
  createMessaging,
  createStreamHandler,
  tableDefinition,
  type DynamoDBStreamBatch,
  type DynamoDBStreamRecord,
  type Message,
  type MessagingClient,
  type Participant
} from '../../src/index.js'
import { dropTestTable, engineClient, user } from '../support/engine.js'
import { awsError, faultyClient, type FaultRule } from '../support/faults.js'
import { rowsOf } from '../support/layout.js'
import { deliverLikeLambda, insertRecordOf } from '../support/streamRecords.js'

// Exactness of the unread counts against DynamoDB Local itself (not a model of it): any history of sends (with
// senders' clocks disagreeing, so a write can commit after a newer message was applied; with and without the sender's
// own row written in the send), markRead calls, and stream deliveries as Lambda makes them (records repeated, batches
// retried from the lowest failure after a throttled row update, a crashed invocation bisected and delivered again, a
// delivery torn by a lost connection after some of its row writes, rows read stale by the eventually consistent
// BatchGetItem, the conversations of a lane interleaved in one batch, a delivery racing a markRead). Once every record
// has been handled at least once, each member's `unreadCount` is the other's messages after their read marker, the
// marker is the newest they read or sent, the row shows the newest message, and `countUnread` matches the sum. Each
// run drives LANES histories at once, each on its own users and conversations.

const LANES = 20
const RUNS = 50 // × LANES = 1,000 histories, each of two conversations sharing a user

// The test makes the stream records itself (as Lambda would hand them over), so its table needs no stream.
const admin = engineClient()
const tableName = `unread-property-${randomUUID().slice(0, 8)}`
await admin.send(new CreateTableCommand({ ...tableDefinition({ tableName, billing: 'on-demand' }), StreamSpecification: { StreamEnabled: false } }))
afterAll(async () => {
  await dropTestTable(admin, tableName)
  admin.destroy()
})

const faults = faultyClient()
const handler = createStreamHandler({ client: faults.client, tableName, baseDelayMs: 1 })
// Per conversation, armed by a delivery: its next row UpdateItem is throttled (the records fail and come again), or
// fails as a lost connection after the engine wrote it (torn), or its next eventually consistent row read answers the
// rows as an earlier read saw them (stale).
const throttled = new Set<string>()
const torn = new Set<string>()
const stale = new Set<string>()
const seen = new Map<string, Record<string, unknown>>() // the last row versions a BatchGetItem returned, by key
const groupOfRow = (key: unknown) => String((key as { sk?: unknown } | undefined)?.sk ?? '').slice(4)
// Counts of the faults that fired, so the run shows it exercised each.
const fired = { throttled: 0, torn: 0, stale: 0 }
const faultRule: FaultRule = async (name, input) => {
  if (name === 'UpdateItemCommand') {
    const group = groupOfRow(input.Key)
    if (throttled.delete(group)) {
      fired.throttled++
      return { fail: awsError('ProvisionedThroughputExceededException') }
    }
    if (torn.delete(group)) {
      fired.torn++
      return { failAfter: awsError('TimeoutError', { $fault: 'client' }) }
    }
  }
  if (name === 'BatchGetItemCommand') {
    const request = (input.RequestItems as Record<string, { Keys: Array<{ pk: string; sk: string }>; ConsistentRead?: boolean }>)[tableName]!
    const group = groupOfRow(request.Keys[0])
    const key = (row: { pk: unknown; sk: unknown }) => `${String(row.pk)}|${String(row.sk)}`
    if (!request.ConsistentRead && stale.delete(group)) {
      const old = request.Keys.flatMap((k) => (seen.has(key(k)) ? [seen.get(key(k))!] : []))
      fired.stale++
      return { answer: { Responses: { [tableName]: old } } }
    }
    return undefined
  }
  return undefined
}
// Every row version a read returned, for a later stale read to answer with (taken from the engine, not the rule).
const observer = engineClient()
afterAll(() => observer.destroy())

type How = 'plain' | 'throttled' | 'crash-then-bisect' | 'torn' | 'stale'
type Step =
  | { kind: 'send'; conversation: 0 | 1; from: 0 | 1; second: number; senderRow: boolean }
  | { kind: 'deliver'; picks: number[]; how: How }
  | { kind: 'read'; conversation: 0 | 1; who: 0 | 1; upTo: number | null }
  | { kind: 'race'; picks: number[]; conversation: 0 | 1; who: 0 | 1 }

const conversationIndex = fc.constantFrom(0 as const, 1 as const)
const picks = fc.uniqueArray(fc.nat(40), { minLength: 1, maxLength: 5 })
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), conversation: conversationIndex, from: conversationIndex, second: fc.integer({ min: 0, max: 6 }), senderRow: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), picks, how: fc.constantFrom<How>('plain', 'throttled', 'crash-then-bisect', 'torn', 'stale') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), conversation: conversationIndex, who: conversationIndex, upTo: fc.option(fc.nat(), { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('race' as const), picks, conversation: conversationIndex, who: conversationIndex }) }
)
const lane = fc.record({ steps: fc.array(step, { maxLength: 8 }), finalOrder: fc.array(fc.nat(), { maxLength: 12 }) })

let sequence = 1
let laneNumber = 0

/** One history: users A, B, C; conversation 0 is A–B (A starts), conversation 1 is C–A (C starts). */
async function runLane({ steps, finalOrder }: { steps: Step[]; finalOrder: number[] }) {
  const base = Date.parse('2026-05-01T00:00:00.000Z') + laneNumber++ * 3_600_000
  let clock = base + 3_000
  const messaging: MessagingClient = createMessaging({ client: admin, tableName, now: () => new Date(clock) })
  const withoutSenderRow: MessagingClient = createMessaging({ client: admin, tableName, now: () => new Date(clock), updateSenderRow: false })
  const [a, b, c] = [user('a'), user('b'), user('c')]
  const pairs: Array<[Participant, Participant]> = [[a, b], [c, a]]
  const sent: Message[][] = [[], []]
  const groups: string[] = []
  for (const [i, [starter, other]] of pairs.entries()) {
    const started = await messaging.createMessageGroup({ sender: starter, recipient: other, message: `start ${i}` })
    groups.push(started.messageGroupUuid)
    sent[i]!.push(started.message)
  }
  const records: DynamoDBStreamRecord[] = sent.flat().map((message) => insertRecordOf(message, sequence++))
  const delivered = new Set<DynamoDBStreamRecord>()
  const reads = new Map<string, string[]>() // `${conversation}|${user}` → the markers markRead aimed at
  const newest = (i: number) => sent[i]!.reduce((x, y) => (y.sortKey > x.sortKey ? y : x))
  const groupOf = (record: DynamoDBStreamRecord) => String(record.dynamodb?.NewImage?.pk?.S).slice(4)
  /** Remembers each member's row as it is now: what a later stale read answers with. */
  const remember = async () => {
    for (const person of [a, b, c]) for (const row of await rowsOf(observer, tableName, person.uuid)) seen.set(`${row.pk}|${row.sk}`, row as never)
  }

  const invoke = async (chosen: DynamoDBStreamRecord[], how: How) => {
    // A batch holds records of any messages of the lane, in stream order as Lambda hands a shard's records over (its
    // retries restart from the lowest failed sequence number); across batches, any order and any repeats.
    const batch = [...chosen].sort((x, y) => Number(x.dynamodb!.SequenceNumber) - Number(y.dynamodb!.SequenceNumber))
    for (const record of batch) delivered.add(record)
    const armed = how === 'throttled' ? throttled : how === 'torn' ? torn : how === 'stale' ? stale : undefined
    for (const record of batch) armed?.add(groupOf(record))
    if (how === 'torn') {
      // One invocation that dies after a row write landed: the records from the lowest failure on wait for a later
      // delivery, while sends, reads and other deliveries land in between.
      const { batchItemFailures } = await handler({ Records: batch })
      for (const record of batch) torn.delete(groupOf(record))
      const from = batch.findIndex((record) => record.dynamodb?.SequenceNumber === batchItemFailures[0]?.itemIdentifier)
      if (from >= 0) for (const record of batch.slice(from)) delivered.delete(record)
      return
    }
    try {
      if (how !== 'crash-then-bisect') return await deliverLikeLambda(handler, batch)
      return await bisect(batch, true)
    } finally {
      for (const record of batch) for (const set of [throttled, stale]) set.delete(groupOf(record))
      await remember()
    }
  }
  // A function error after the writes (a crash): Lambda splits the batch and delivers each half, records again included.
  const bisect = async (batch: DynamoDBStreamRecord[], crash: boolean): Promise<number> => {
    const result = await handler({ Records: batch } satisfies DynamoDBStreamBatch)
    if (!crash && result.batchItemFailures.length === 0) return 1
    if (batch.length === 1) return deliverLikeLambda(handler, batch)
    const half = Math.ceil(batch.length / 2)
    return (await bisect(batch.slice(0, half), false)) + (await bisect(batch.slice(half), false))
  }
  const markRead = async (conversation: number, who: number, upTo: string | undefined) => {
    const reader = pairs[conversation]![who]!
    const shown = newest(conversation).sortKey
    const target = upTo === undefined || upTo > shown ? shown : upTo
    const key = `${conversation}|${reader.uuid}`
    reads.set(key, [...(reads.get(key) ?? []), target])
    await messaging.markRead({ messageGroupUuid: groups[conversation]!, userUuid: reader.uuid, ...(upTo !== undefined && { upTo }) })
  }
  const chosen = (indexes: number[]) => [...new Set(indexes.map((index) => records[index % records.length]!))]

  await remember()
  for (const next of steps) {
    if (next.kind === 'send') {
      clock = base + next.second * 1000
      const sender = pairs[next.conversation]![next.from]!
      const through = next.senderRow ? messaging : withoutSenderRow
      const message = await through.createMessage({ messageGroupUuid: groups[next.conversation]!, sender, message: `s${records.length}` })
      sent[next.conversation]!.push(message)
      records.push(insertRecordOf(message, sequence++))
    } else if (next.kind === 'deliver') {
      await invoke(chosen(next.picks), next.how)
    } else if (next.kind === 'read') {
      const own = sent[next.conversation]!
      await markRead(next.conversation, next.who, next.upTo === null ? undefined : own[next.upTo % own.length]!.sortKey)
    } else {
      await Promise.all([invoke(chosen(next.picks), 'plain'), markRead(next.conversation, next.who, undefined)])
    }
  }
  // Every record handled at least once: the rest, in any order, as one batch.
  const rest = records.filter((record) => !delivered.has(record))
  for (const pick of finalOrder) if (rest.length > 1) rest.push(...rest.splice(pick % rest.length, 1))
  if (rest.length > 0) await invoke(rest, 'plain')

  // The expected state, from the messages sent (each stored by a conditional put); then each user's list and badge.
  type Expected = { group: string; sortKey: string; lastMessage: string; lastReadSortKey?: string; unreadCount: number }
  const expected = new Map<string, Expected[]>([a, b, c].map((u) => [u.uuid, []]))
  for (const [i, pair] of pairs.entries()) {
    for (const participant of pair) {
      const own = sent[i]!.filter((m) => m.userUuid === participant.uuid).map((m) => m.sortKey)
      const marker = [...(reads.get(`${i}|${participant.uuid}`) ?? []), ...own].reduce<string | undefined>((x, y) => (x === undefined || y > x ? y : x), undefined)
      const unreadCount = sent[i]!.filter((m) => m.userUuid !== participant.uuid && (marker === undefined || m.sortKey > marker)).length
      const last = newest(i)
      expected.get(participant.uuid)!.push({ group: groups[i]!, sortKey: last.sortKey, lastMessage: last.message, ...(marker !== undefined && { lastReadSortKey: marker }), unreadCount })
    }
  }
  const byGroup = (x: { group: string }, y: { group: string }) => x.group.localeCompare(y.group)
  for (const [userUuid, conversations] of expected) {
    // Pattern B reads the inbox-index (never behind its table in DynamoDB Local): position, preview, marker, count.
    const listed = (await messaging.listMessageGroups({ userUuid })).items.map((group) => ({
      group: group.messageGroupUuid,
      sortKey: group.sortKey,
      lastMessage: group.lastMessage,
      ...(group.lastReadSortKey !== undefined && { lastReadSortKey: group.lastReadSortKey }),
      unreadCount: group.unreadCount
    }))
    expect(listed.sort(byGroup)).toEqual([...conversations].sort(byGroup))
    // One row per conversation, at its fixed key, whatever happened.
    expect((await rowsOf(admin, tableName, userUuid)).map((row) => row.sk).sort()).toEqual(conversations.map((conversation) => `MSG#${conversation.group}`).sort())
    // The badge reads the sparse index, which holds a row only while its owner has something unread.
    const unread = conversations.map((conversation) => conversation.unreadCount)
    expect(await messaging.countUnread({ userUuid })).toEqual({ conversations: unread.filter((n) => n > 0).length, messages: unread.reduce((x, y) => x + y, 0) })
  }
}

describe('unread counts against DynamoDB Local (property)', () => {
  it(`are exact after any delivery of any history (${RUNS * LANES} histories, ${LANES} at a time)`, { timeout: 900_000 }, async () => {
    faults.rule = faultRule // set in the test: faultyClient lets everything through again before each test
    await fc.assert(
      fc.asyncProperty(fc.array(lane, { minLength: LANES, maxLength: LANES }), async (lanes) => {
        await Promise.all(lanes.map(runLane))
      }),
      { numRuns: RUNS }
    )
    expect(Object.values(fired).every((count) => count > 0), JSON.stringify(fired)).toBe(true)
  })
})
