// The freshness guarantee as a randomized property, against DynamoDB Local and a real Redis: interleaved writers
// (createMessage, createMessageGroup), readers (listMessages, listMessageGroups) through several messaging instances
// sharing the cache, and stream batches redelivered, duplicated and reordered through real stream handlers, with the
// readers' DynamoDB answers delayed at random to widen every race. No read that started after a write completed may
// return a page older than that write.
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
import { faultyClient } from '../support/faults.js'
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
// writes completed.
const slow = faultyClient()
let random = Math.random
slow.rule = (name) => (name === 'QueryCommand' ? { holdResponse: () => sleep(random() * 60) } : undefined)

const readers: MessagingClient[] = Array.from({ length: 3 }, () =>
  createMessaging({ client: slow.client, tableName, cache: cacheOf(), onCacheError: errors.onCacheError, cacheTimeoutMs })
)
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
/** A conversation row known to show `sortKey` (or newer) from `completed` on: Pattern D returned, or the start. */
interface Applied {
  owner: string
  messageGroupUuid: string
  sortKey: string
  completed: number
}

describe('no read returns a page older than a completed write', () => {
  it('holds for random interleavings of writers, readers and redelivered stream batches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        random = mulberry32(seed)
        const violations = await run(random)
        expect(violations).toEqual([])
      }),
      { numRuns: 6, endOnFailure: true }
    )
    expect(errors.seen).toEqual([])
  })
})

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
    if (result.created) {
      for (const owner of [sender, recipient]) {
        applied.push({ owner: owner.uuid, messageGroupUuid: result.messageGroupUuid, sortKey: result.message.sortKey, completed })
      }
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
        const started = ++clock
        checkB(person.uuid, started, await pick(readers).listMessageGroups({ userUuid: person.uuid, limit: 100 }))
      }
    ],
    [
      20,
      async () => {
        const conversation = pick(conversations)
        const message = await pick(writers).createMessage({ messageGroupUuid: conversation.uuid, sender: pick(conversation.people), message: `m${++sequence}` })
        written.push({ message, completed: ++clock })
        records.push({ record: insertRecordOf(message, sequence), message })
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
        const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier))
        for (const { record, message } of batch) {
          if (failed.has(record.dynamodb!.SequenceNumber!)) continue
          const conversation = conversations.find((c) => c.uuid === message.messageGroupUuid)!
          for (const owner of conversation.people) {
            applied.push({ owner: owner.uuid, messageGroupUuid: message.messageGroupUuid, sortKey: message.sortKey, completed })
          }
        }
      }
    ]
  ]
  const total = operations.reduce((sum, [weight]) => sum + weight, 0)
  const choose = () => {
    let roll = random() * total
    for (const [weight, operation] of operations) if ((roll -= weight) < 0) return operation
    return operations[0]![1]
  }

  function checkA(messageGroupUuid: string, limit: number, started: number, page: Page<Message>) {
    for (const { message, completed } of written) {
      if (message.messageGroupUuid !== messageGroupUuid || completed >= started) continue
      const shown = page.items.some((item) => item.uuid === message.uuid)
      const pushedOut = page.items.length === limit && page.items.every((item) => item.sortKey > message.sortKey)
      if (!shown && !pushedOut) violations.push(`A ${messageGroupUuid} limit ${limit}: misses ${message.message} written before the read`)
    }
  }

  function checkB(owner: string, started: number, page: Page<MessageGroup>) {
    for (const row of applied) {
      if (row.owner !== owner || row.completed >= started) continue
      const item = page.items.find((group) => group.messageGroupUuid === row.messageGroupUuid)
      if (!item || item.sortKey < row.sortKey) {
        violations.push(`B ${owner}: ${row.messageGroupUuid} at ${item?.sortKey ?? 'absent'}, older than ${row.sortKey} applied before the read`)
      }
    }
  }

  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let i = 0; i < 25; i++) await choose()()
    })
  )
  return violations
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
