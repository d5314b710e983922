import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import fc from 'fast-check'
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import {
  createMessaging,
  createStreamHandler,
  MESSAGE_GROUP_INDEX,
  tableDefinition,
  type DynamoDBStreamBatch,
  type DynamoDBStreamRecord,
  type Message,
  type MessagingClient,
  type Participant
} from '../../src/index.js'
import { dropTestTable, engineClient, user } from '../support/engine.js'
import { awsError, faultyClient, type FaultRule } from '../support/faults.js'
import { deliverLikeLambda, insertRecordOf } from '../support/streamRecords.js'

// Exactness of the unread counts against DynamoDB Local itself (not a model of it): any history of sends (with
// senders' clocks disagreeing, so a write can commit after a newer message's row move read past its place), markRead
// calls, and stream deliveries as Lambda makes them (records repeated, batches retried from the lowest failure after a
// throttled read, a crashed invocation bisected and delivered again, the conversations of a lane interleaved in one
// batch, a delivery racing a markRead). Once every record has been handled at least once, each participant's
// `unreadCount` is the other's messages after their read marker, the marker is the newest they read or sent, and
// `countUnread` matches the sum. Each run drives LANES histories at once, each on its own users and conversations.

const LANES = 20
const RUNS = 50 // × LANES = 1,000 histories, each of two conversations sharing a user
const ORDERED_RUNS = 10 // × LANES = 200 histories through the ordered move

// The test makes the stream records itself (as Lambda would hand them over), so its table needs no stream.
const admin = engineClient()
const tableName = `unread-property-${randomUUID().slice(0, 8)}`
await admin.send(new CreateTableCommand({ ...tableDefinition({ tableName, billing: 'on-demand' }), StreamSpecification: { StreamEnabled: false } }))
afterAll(async () => {
  await dropTestTable(admin, tableName)
  admin.destroy()
})
const throttled = new Set<string>() // conversations whose next index read fails, as a throttled Query would
const faults = faultyClient()
const throttle: FaultRule = (name, input) => {
  const group = (input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':g']
  if (name === 'QueryCommand' && input.IndexName === MESSAGE_GROUP_INDEX && typeof group === 'string' && throttled.delete(group)) {
    return { fail: awsError('ProvisionedThroughputExceededException') }
  }
  return undefined
}
// Each describe below picks the handler (the transaction, or the ordered move).
const transactionHandler = createStreamHandler({ client: faults.client, tableName, baseDelayMs: 1 })
const orderedHandler = createStreamHandler({ client: faults.client, tableName, baseDelayMs: 1, rowMove: 'ordered' })
let handler = transactionHandler
// The ordered move's crash between its puts and its deletes: a batch delivered `torn` arms each of the lane's users, and
// the next DeleteItem of an armed user's row (in that delivery or a later one) fails as a lost connection would (the
// puts have landed); the torn delivery is not retried at once, so its records wait, both rows in place, for a later
// delivery, while sends, reads and other deliveries land in between. A `stale` read is a markRead whose index read does
// not show its user's newest row yet (the GSI lags), so it marks the old row of a torn move. The transaction sends no
// DeleteItem, and its rows are never doubled for a stale read to find.
const tornOwners = new Set<string>()
const lagging = new Set<string>() // conversations whose next index read misses each owner's newest row (of two or more)
const documents = DynamoDBDocumentClient.from(admin)
const tear: FaultRule = async (name, input) => {
  const pk = (input.Key as { pk?: string } | undefined)?.pk
  if (name === 'DeleteItemCommand' && pk !== undefined && tornOwners.delete(pk)) return { fail: awsError('TimeoutError', { $fault: 'client' }) }
  const group = (input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':g']
  if (name === 'QueryCommand' && input.IndexName === MESSAGE_GROUP_INDEX && typeof group === 'string' && lagging.delete(group)) {
    const { Items = [], LastEvaluatedKey } = await documents.send(new QueryCommand(input as unknown as QueryCommandInput))
    const newestOf = new Map<string, string>()
    for (const item of Items) if (item.sk > (newestOf.get(item.pk) ?? '')) newestOf.set(item.pk, item.sk)
    const shown = Items.filter((item) => Items.filter((other) => other.pk === item.pk).length < 2 || item.sk !== newestOf.get(item.pk))
    return { answer: { Items: shown, Count: shown.length, ...(LastEvaluatedKey && { LastEvaluatedKey }) } }
  }
  return throttle(name, input)
}

type Step =
  | { kind: 'send'; conversation: 0 | 1; from: 0 | 1; second: number }
  | { kind: 'deliver'; picks: number[]; how: 'plain' | 'throttled' | 'crash-then-bisect' | 'torn' }
  | { kind: 'read'; conversation: 0 | 1; who: 0 | 1; upTo: number | null; stale: boolean }
  | { kind: 'race'; picks: number[]; conversation: 0 | 1; who: 0 | 1 }

const conversationIndex = fc.constantFrom(0 as const, 1 as const)
const picks = fc.uniqueArray(fc.nat(40), { minLength: 1, maxLength: 5 })
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), conversation: conversationIndex, from: conversationIndex, second: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), picks, how: fc.constantFrom('plain' as const, 'throttled' as const, 'crash-then-bisect' as const, 'torn' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), conversation: conversationIndex, who: conversationIndex, upTo: fc.option(fc.nat(), { nil: null }), stale: fc.boolean() }) },
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
  const staleReader = createMessaging({ client: faults.client, tableName }) // its markRead may meet a lagging index
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
  const newest = (i: number) => sent[i]!.reduce((x, y) => (y.sortKey > x.sortKey ? y : x)).sortKey

  const invoke = (records: DynamoDBStreamRecord[], how: 'plain' | 'throttled' | 'crash-then-bisect' | 'torn') => {
    // A batch holds records of any messages of the lane, in stream order as Lambda hands a shard's records over (its
    // retries restart from the lowest failed sequence number); across batches, any order and any repeats.
    const batch = [...records].sort((x, y) => Number(x.dynamodb!.SequenceNumber) - Number(y.dynamodb!.SequenceNumber))
    for (const record of batch) delivered.add(record)
    if (how === 'throttled') for (const record of batch) throttled.add(String(record.dynamodb?.NewImage?.pk?.S).slice(4))
    if (how === 'torn') {
      for (const person of [a, b, c]) tornOwners.add(`GRP#${person.uuid}`)
      // One invocation that dies: the records from the lowest failure on wait for a later delivery.
      return handler({ Records: batch }).then(({ batchItemFailures }) => {
        const from = batch.findIndex((record) => record.dynamodb?.SequenceNumber === batchItemFailures[0]?.itemIdentifier)
        if (from >= 0) for (const record of batch.slice(from)) delivered.delete(record)
      })
    }
    if (how !== 'crash-then-bisect') return deliverLikeLambda(handler, batch)
    return bisect(batch, true)
  }
  // A function error after the writes (a crash): Lambda splits the batch and delivers each half, records again included.
  const bisect = async (batch: DynamoDBStreamRecord[], crash: boolean): Promise<number> => {
    const result = await handler({ Records: batch } satisfies DynamoDBStreamBatch)
    if (!crash && result.batchItemFailures.length === 0) return 1
    if (batch.length === 1) return deliverLikeLambda(handler, batch)
    const half = Math.ceil(batch.length / 2)
    return (await bisect(batch.slice(0, half), false)) + (await bisect(batch.slice(half), false))
  }
  const markRead = async (conversation: number, who: number, upTo: string | undefined, stale = false) => {
    const reader = pairs[conversation]![who]!
    const target = upTo === undefined || upTo > newest(conversation) ? newest(conversation) : upTo
    const key = `${conversation}|${reader.uuid}`
    reads.set(key, [...(reads.get(key) ?? []), target])
    if (stale) lagging.add(groups[conversation]!)
    await (stale ? staleReader : messaging).markRead({ messageGroupUuid: groups[conversation]!, userUuid: reader.uuid, ...(upTo !== undefined && { upTo }) })
    lagging.delete(groups[conversation]!)
  }
  const chosen = (indexes: number[]) => [...new Set(indexes.map((index) => records[index % records.length]!))]

  for (const next of steps) {
    if (next.kind === 'send') {
      clock = base + next.second * 1000
      const sender = pairs[next.conversation]![next.from]!
      const message = await messaging.createMessage({ messageGroupUuid: groups[next.conversation]!, sender, message: `s${records.length}` })
      sent[next.conversation]!.push(message)
      records.push(insertRecordOf(message, sequence++))
    } else if (next.kind === 'deliver') {
      await invoke(chosen(next.picks), next.how)
    } else if (next.kind === 'read') {
      const own = sent[next.conversation]!
      await markRead(next.conversation, next.who, next.upTo === null ? undefined : own[next.upTo % own.length]!.sortKey, next.stale)
    } else {
      await Promise.all([invoke(chosen(next.picks), 'plain'), markRead(next.conversation, next.who, undefined)])
    }
  }
  // Every record handled at least once: the rest, in any order, as one batch.
  const rest = records.filter((record) => !delivered.has(record))
  for (const pick of finalOrder) if (rest.length > 1) rest.push(...rest.splice(pick % rest.length, 1))
  if (rest.length > 0) await invoke(rest, 'plain')

  // The expected state, from the messages sent (each stored by a conditional put); then each user's list and badge.
  const expected = new Map<string, Array<{ group: string; sortKey: string; lastReadSortKey?: string; unreadCount: number }>>(
    [a, b, c].map((u) => [u.uuid, []])
  )
  for (const [i, pair] of pairs.entries()) {
    for (const participant of pair) {
      const own = sent[i]!.filter((m) => m.userUuid === participant.uuid).map((m) => m.sortKey)
      const marker = [...(reads.get(`${i}|${participant.uuid}`) ?? []), ...own].reduce<string | undefined>((x, y) => (x === undefined || y > x ? y : x), undefined)
      const unreadCount = sent[i]!.filter((m) => m.userUuid !== participant.uuid && (marker === undefined || m.sortKey > marker)).length
      expected.get(participant.uuid)!.push({ group: groups[i]!, sortKey: newest(i), ...(marker !== undefined && { lastReadSortKey: marker }), unreadCount })
    }
  }
  const byGroup = (x: { group: string }, y: { group: string }) => x.group.localeCompare(y.group)
  for (const [userUuid, conversations] of expected) {
    // Pattern B reads the rows themselves (a strongly consistent engine here): position, marker and count of each.
    const listed = (await messaging.listMessageGroups({ userUuid })).items.map((group) => ({
      group: group.messageGroupUuid,
      sortKey: group.sortKey,
      ...(group.lastReadSortKey !== undefined && { lastReadSortKey: group.lastReadSortKey }),
      unreadCount: group.unreadCount
    }))
    expect(listed.sort(byGroup)).toEqual([...conversations].sort(byGroup))
    // Pattern B hides a duplicate within a page, so the rows themselves: exactly one per conversation.
    const { Items = [] } = await DynamoDBDocumentClient.from(admin).send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `GRP#${userUuid}` }, ConsistentRead: true })
    )
    expect(Items.map((item) => item.message_group_uuid).sort()).toEqual(conversations.map((conversation) => conversation.group).sort())
    // The badge reads the sparse index, which holds a row only while its owner has something unread.
    const unread = conversations.map((conversation) => conversation.unreadCount)
    expect(await messaging.countUnread({ userUuid })).toEqual({ conversations: unread.filter((n) => n > 0).length, messages: unread.reduce((x, y) => x + y, 0) })
  }
}



describe('unread counts against DynamoDB Local (property)', () => {
  it(`are exact after any delivery of any history (${RUNS * LANES} histories, ${LANES} at a time)`, { timeout: 900_000 }, async () => {
    handler = transactionHandler
    faults.rule = tear
    await fc.assert(
      fc.asyncProperty(fc.array(lane, { minLength: LANES, maxLength: LANES }), async (lanes) => {
        await Promise.all(lanes.map(runLane))
      }),
      { numRuns: RUNS }
    )
  })
})

describe("rowMove: 'ordered' (property)", () => {
  it(`keeps one row per participant, at the newest message, with exact counts, through torn moves (${ORDERED_RUNS * LANES} histories)`, { timeout: 900_000 }, async () => {
    handler = orderedHandler
    faults.rule = tear
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(lane, { minLength: LANES, maxLength: LANES }), async (lanes) => {
          await Promise.all(lanes.map(runLane))
        }),
        { numRuns: ORDERED_RUNS }
      )
    } finally {
      handler = transactionHandler
    }
  })
})
