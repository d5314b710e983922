// The freshness guarantee as a randomized property, against DynamoDB Local and a real Redis: interleaved writers
// (createMessage, createMessageGroup), readers (listMessages, listMessageGroups) through several messaging instances
// sharing the cache, and stream batches redelivered, duplicated and reordered through real stream handlers, with the
// readers' DynamoDB answers delayed at random to widen every race, and Pattern B's inbox-index lagging behind the
// table by up to LAG_MS for each row write (as a real GSI does; DynamoDB Local's never lags). No page served from the
// cache may be older than a write completed before the read started; a page read from the index (a miss) may lag by
// the index's lag only: it is never older than a write completed LAG_MS before the read.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  createMessaging,
  createStreamHandler,
  type DynamoDBStreamRecord,
  type Message,
  type MessageGroup,
  type MessagingClient,
  type Page,
  type Participant
} from '../../src/index.js'
import { redisCache } from '../../src/cache/index.js'
import { testTable, user } from '../support/engine.js'
import { faultyClient, type FaultRule } from '../support/faults.js'
import { indexLag } from '../support/indexLag.js'
import { INDEX_SETTLE_MS } from '../../src/conversations/listMessageGroups.js'
import { cacheErrors, redisClient } from '../support/cache.js'
import { insertRecordOf } from '../support/streamRecords.js'
import { mulberry32 } from '../support/prng.js'

const { client, tableName } = await testTable('cache-freshness')
const prefix = `fresh-${randomUUID().slice(0, 8)}:`
const errors = cacheErrors()
const cacheOf = () => redisCache({ client: redisClient(), prefix })
// The property is about the protocol: a generous timeout, so that this busy machine's stalls cause no failed calls
// (a failed invalidation is allowed to leave a stale page until the TTL; see outage.test.ts).
const cacheTimeoutMs = 5_000

// Readers' pages come back 0–60 ms after DynamoDB answered, at random: a slow reader may fill the cache after later
// writes completed. Their index reads see each row write LAG_MS at most after it completed (below INDEX_SETTLE_MS, as
// the cache's argument needs: see docs/caching.md).
const LAG_MS = 600
let random = Math.random
const lag = indexLag(client, { lagMs: () => random() * LAG_MS })
lag.observeWrites(client)
const slow = faultyClient()
const slowAndLagging: FaultRule = async (name, input) => {
  if (name !== 'QueryCommand') return undefined
  const lagging = await lag.answer(name, input)
  if (!lagging) return { holdResponse: () => sleep(random() * 60) }
  await sleep(random() * 60)
  return lagging
}

const readerCaches = Array.from({ length: 3 }, cacheOf)
const readers: MessagingClient[] = readerCaches.map((cache) => createMessaging({ client: slow.client, tableName, cache, onCacheError: errors.onCacheError, cacheTimeoutMs }))
/** A reader for one Pattern B read, told whether the cache answered it. */
const listReader = (cache: (typeof readerCaches)[number], onHit: (hit: boolean) => void) =>
  createMessaging({ client: slow.client, tableName, cache, onCacheError: errors.onCacheError, cacheTimeoutMs, onCacheRead: (event) => event.kind === 'B' && onHit(event.hit) })
const writers: MessagingClient[] = Array.from({ length: 2 }, () =>
  createMessaging({ client, tableName, cache: cacheOf(), onCacheError: errors.onCacheError, cacheTimeoutMs })
)
const handlers = Array.from({ length: 2 }, () => createStreamHandler({ client, tableName, cache: cacheOf(), onCacheError: errors.onCacheError, cacheTimeoutMs }))

interface Conversation {
  uuid: string
  people: [Participant, Participant]
}
/** A completed write, and the logical time it completed. */
interface Written {
  message: Message
  completed: number
}
/**
 * A conversation row known to show `sortKey` (or newer) from `completed` on (`at`, in wall-clock ms): Pattern D
 * returned, the start, or the sender's own row in a send.
 */
interface Applied {
  owner: string
  messageGroupUuid: string
  sortKey: string
  completed: number
  at: number
}

describe('no read returns a page older than a completed write', () => {
  it('holds for random interleavings of writers, readers and redelivered stream batches', { timeout: 300_000 }, async () => {
    slow.rule = slowAndLagging // set in the test: faultyClient lets everything through again before each test
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        random = mulberry32(seed)
        const violations = await run(random)
        expect(violations).toEqual([])
      }),
      { numRuns: 4, endOnFailure: true }
    )
    expect(errors.seen).toEqual([])
    // The property was put to the test: cached lists were served, and index reads met writes still hidden.
    expect(listHits).toBeGreaterThan(0)
    expect(lag.writes()).toBeGreaterThan(0)
    expect(lag.hiddenServed()).toBeGreaterThan(0)
  })
})

let listHits = 0

async function run(random: () => number): Promise<string[]> {
  let clock = 0
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const people = Array.from({ length: 4 }, (_, i) => user(`p${i}`))
  const conversations: Conversation[] = []
  const written: Written[] = []
  const applied: Applied[] = []
  const records: Array<{ record: DynamoDBStreamRecord; message: Message }> = []
  const violations: string[] = []
  let sequence = 0

  const start = async (sender: Participant, recipient: Participant) => {
    const result = await pick(writers).createMessageGroup({ sender, recipient, message: `start ${sender.handle}` })
    const completed = ++clock
    if (!conversations.some((c) => c.uuid === result.messageGroupUuid)) {
      conversations.push({ uuid: result.messageGroupUuid, people: [sender, recipient] })
    }
    written.push({ message: result.message, completed })
    records.push({ record: insertRecordOf(result.message, ++sequence), message: result.message })
    // The sender's row shows the message once the call returns (the start wrote it, or the send updated it).
    for (const owner of result.created ? [sender, recipient] : [sender]) {
      applied.push({ owner: owner.uuid, messageGroupUuid: result.messageGroupUuid, sortKey: result.message.sortKey, completed, at: Date.now() })
    }
  }
  await start(people[0]!, people[1]!)
  await start(people[2]!, people[3]!)

  const operations: Array<[number, () => Promise<void>]> = [
    [
      30,
      async () => {
        const conversation = pick(conversations)
        const limit = pick([2, 20])
        const started = ++clock
        const page = await pick(readers).listMessages({ messageGroupUuid: conversation.uuid, viewerUuid: pick(conversation.people).uuid, limit })
        checkA(conversation.uuid, limit, started, page)
      }
    ],
    [
      25,
      async () => {
        const person = pick(people)
        let hit = false
        const reader = listReader(pick(readerCaches), (answered) => (hit = answered))
        const started = ++clock
        const startedAt = Date.now()
        const page = await reader.listMessageGroups({ userUuid: person.uuid, limit: 100 })
        if (hit) listHits++
        checkB(person.uuid, started, startedAt, hit, page)
      }
    ],
    [
      20,
      async () => {
        const conversation = pick(conversations)
        const sender = pick(conversation.people)
        const message = await pick(writers).createMessage({ messageGroupUuid: conversation.uuid, sender, message: `m${++sequence}` })
        const completed = ++clock
        written.push({ message, completed })
        records.push({ record: insertRecordOf(message, sequence), message })
        applied.push({ owner: sender.uuid, messageGroupUuid: conversation.uuid, sortKey: message.sortKey, completed, at: Date.now() })
      }
    ],
    [
      5,
      async () => {
        const sender = pick(people)
        await start(sender, pick(people.filter((other) => other !== sender)))
      }
    ],
    [
      20,
      async () => {
        // A batch of random records, old ones included, some twice, in random order: at-least-once and reordered.
        const batch = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(records))
        const response = await pick(handlers)({ Records: batch.map((entry) => entry.record) })
        const completed = ++clock
        const at = Date.now()
        const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier))
        for (const { record, message } of batch) {
          if (failed.has(record.dynamodb!.SequenceNumber!)) continue
          const conversation = conversations.find((c) => c.uuid === message.messageGroupUuid)!
          for (const owner of conversation.people) {
            applied.push({ owner: owner.uuid, messageGroupUuid: message.messageGroupUuid, sortKey: message.sortKey, completed, at })
          }
        }
      }
    ]
  ]
  /** An operation drawn by the weights (in the order of `operations`: A, B, send, start, stream batch). */
  const choose = (weights: readonly number[]) => {
    let roll = random() * weights.reduce((sum, weight) => sum + weight, 0)
    for (const [i, weight] of weights.entries()) if ((roll -= weight) < 0) return operations[i]![1]
    return operations[0]![1]
  }
  const busy = operations.map(([weight]) => weight)
  const readMostly = [25, 60, 7, 1, 7]

  function checkA(messageGroupUuid: string, limit: number, started: number, page: Page<Message>) {
    for (const { message, completed } of written) {
      if (message.messageGroupUuid !== messageGroupUuid || completed >= started) continue
      const shown = page.items.some((item) => item.uuid === message.uuid)
      const pushedOut = page.items.length === limit && page.items.every((item) => item.sortKey > message.sortKey)
      if (!shown && !pushedOut) violations.push(`A ${messageGroupUuid} limit ${limit}: misses ${message.message} written before the read`)
    }
  }

  function checkB(owner: string, started: number, startedAt: number, hit: boolean, page: Page<MessageGroup>) {
    for (const row of applied) {
      if (row.owner !== owner || row.completed >= started) continue
      // Read from the index (a miss): a row write may still be hidden by its lag, no longer.
      if (!hit && row.at > startedAt - LAG_MS) continue
      const item = page.items.find((group) => group.messageGroupUuid === row.messageGroupUuid)
      if (!item || item.sortKey < row.sortKey) {
        violations.push(`B ${owner} (${hit ? 'hit' : 'miss'}): ${row.messageGroupUuid} at ${item?.sortKey ?? 'absent'}, older than ${row.sortKey} applied before the read`)
      }
    }
  }

  const workers = (steps: number, weights: readonly number[]) =>
    Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let i = 0; i < steps; i++) await choose(weights)()
      })
    )
  // Busy rounds, then a quiet spell in which every list settles (INDEX_SETTLE_MS), then mostly reads: settled lists
  // are stored and served from the cache, while the few writes among them invalidate what they change.
  for (let round = 0; round < 2; round++) {
    await workers(6, busy)
    await sleep(INDEX_SETTLE_MS + LAG_MS)
    await workers(4, readMostly)
  }
  return violations
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
