import { describe, expect, it } from 'vitest'
import { createMessaging, INBOX_INDEX, type CacheReadEvent, type MessagingClient, type Participant } from '../../src/index.js'
import { memoryCache } from '../../src/cache/index.js'
import { INDEX_SETTLE_MS } from '../../src/conversations/listMessageGroups.js'
import { testTable, user } from '../support/engine.js'
import { faultyClient } from '../support/faults.js'
import { indexLag } from '../support/indexLag.js'

// Pattern B reads the inbox-index, which real DynamoDB keeps only eventually consistent with the table; DynamoDB
// Local's never lags. Here every row write through `admin` stays hidden from the index reads of `reading` for a while
// (see test/support/indexLag.ts): a reader may see a write a moment late, never a conversation twice within a page,
// and a cache is never filled with a page older than the newest write it was told of.
const { client: admin, tableName } = await testTable('lagging-index')
let lagMs = 0
let duplicates = false
const lag = indexLag(admin, { lagMs: () => lagMs, get duplicates() { return duplicates } })
lag.observeWrites(admin)
const indexReads: number[] = []
const reads = faultyClient((name, input) => void (name === 'QueryCommand' && input.IndexName === INBOX_INDEX && indexReads.push(Date.now())))
const reading = reads.client
const writer = createMessaging({ client: admin, tableName })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A reader through the lagging index, with a cache when given one; `events` collects its cache hits and misses. */
function reader(cache?: ReturnType<typeof memoryCache>) {
  const events: CacheReadEvent[] = []
  reads.rule = (name, input) => lag.answer(name, input)
  const messaging = createMessaging({ client: reading, tableName, ...(cache && { cache, onCacheRead: (event) => events.push(event) }) })
  return { messaging, events, hits: () => events.filter((event) => event.kind === 'B').map((event) => event.hit) }
}

/** A user talking with `count` others (no lag while it is set up), each conversation's rows current. */
async function talking(count: number) {
  lagMs = 0
  const owner = user('owner')
  const others: Participant[] = []
  const groups: string[] = []
  for (let i = 0; i < count; i++) {
    const other = user(`friend${i}`)
    const { messageGroupUuid } = await writer.createMessageGroup({ sender: other, recipient: owner, message: `hello ${i}` })
    others.push(other)
    groups.push(messageGroupUuid)
  }
  await sleep(5)
  return { owner, others, groups }
}
const previews = async (messaging: MessagingClient, owner: Participant) =>
  (await messaging.listMessageGroups({ userUuid: owner.uuid, limit: 100 })).items.map((group) => group.lastMessage)

describe('Pattern B read from a lagging inbox-index', () => {
  it('never shows one conversation twice within a page, while the index lists a row at its old and new place', async () => {
    const { owner, others, groups } = await talking(3)
    lagMs = 10_000
    duplicates = true
    try {
      const sent = await writer.createMessage({ messageGroupUuid: groups[0]!, sender: owner, message: 'moved up' })
      const raw = await lag.answer('QueryCommand', { TableName: tableName, IndexName: INBOX_INDEX, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `GRP#${owner.uuid}` }, ScanIndexForward: false })
      expect(raw && 'answer' in raw && (raw.answer.Items as unknown[]).length).toBe(4) // the index lists 3 rows, one twice
      const { items } = await reader().messaging.listMessageGroups({ userUuid: owner.uuid })
      expect(items.map((group) => group.messageGroupUuid)).toEqual([groups[0], groups[2], groups[1]])
      expect(items[0]).toMatchObject({ lastMessage: 'moved up', sortKey: sent.sortKey }) // the newer wins
      expect(others).toHaveLength(3)
    } finally {
      duplicates = false
    }
  })

  it('without a cache shows what the index shows: a write may be missing for a moment, then it shows', async () => {
    const { owner, groups } = await talking(2)
    lagMs = 300
    await writer.createMessage({ messageGroupUuid: groups[0]!, sender: owner, message: 'just sent' })
    const { messaging } = reader()
    expect(await previews(messaging, owner)).toEqual(['hello 1', 'hello 0'])
    await sleep(350)
    expect(await previews(messaging, owner)).toEqual(['just sent', 'hello 1'])
  })

  it('reads the index again, briefly, until it shows the rows the newest write left; a page that young is served, not stored', async () => {
    const { owner, groups } = await talking(2)
    const cache = memoryCache()
    const { messaging, hits } = reader(cache)
    expect(await previews(messaging, owner)).toEqual(['hello 1', 'hello 0'])
    lagMs = 150 // caught up by the last read (after waits of 25, 50 and 100 ms)
    await writer.createMessage({ messageGroupUuid: groups[0]!, sender: owner, message: 'my reply' })
    // The writer knew no cache: the reader's, told of the write as the library tells it, through invalidation.
    const told = createMessaging({ client: admin, tableName, cache })
    await told.createMessage({ messageGroupUuid: groups[1]!, sender: owner, message: 'and another' })
    indexReads.length = 0
    expect(await previews(messaging, owner)).toEqual(['and another', 'my reply'])
    expect(indexReads.length).toBeGreaterThan(1)
    expect(await previews(messaging, owner)).toEqual(['and another', 'my reply'])
    expect(hits()).toEqual([false, false, false]) // within INDEX_SETTLE_MS of the write: nothing stored
  })

  it('serves, and never stores, a page the index has not caught up with after its re-reads; the next read is fresh', async () => {
    const { owner, groups } = await talking(2)
    const cache = memoryCache()
    const { messaging, hits } = reader(cache)
    const told = createMessaging({ client: admin, tableName, cache })
    await sleep(INDEX_SETTLE_MS + 50)
    expect(await previews(messaging, owner)).toEqual(['hello 1', 'hello 0'])
    expect(await previews(messaging, owner)).toEqual(['hello 1', 'hello 0'])
    expect(hits()).toEqual([false, true]) // settled: stored and served from the cache
    lagMs = 600 // longer than the re-reads wait (25 + 50 + 100 ms)
    await told.createMessage({ messageGroupUuid: groups[0]!, sender: owner, message: 'slow to show' })
    indexReads.length = 0
    expect(await previews(messaging, owner)).toEqual(['hello 1', 'hello 0']) // what the index says, as without a cache
    expect(indexReads).toHaveLength(4)
    await sleep(650)
    expect(await previews(messaging, owner)).toEqual(['slow to show', 'hello 1']) // nothing stale was stored
    expect(hits()).toEqual([false, true, false, false])
  })

  it('stores a page once the newest write is older than INDEX_SETTLE_MS and the index shows it; hits serve it', async () => {
    const { owner, groups } = await talking(2)
    const cache = memoryCache()
    const { messaging, hits } = reader(cache)
    const told = createMessaging({ client: admin, tableName, cache })
    lagMs = 100
    await told.createMessage({ messageGroupUuid: groups[1]!, sender: owner, message: 'settles' })
    await sleep(INDEX_SETTLE_MS + 50)
    expect(await previews(messaging, owner)).toEqual(['settles', 'hello 0'])
    expect(await previews(messaging, owner)).toEqual(['settles', 'hello 0'])
    expect(hits()).toEqual([false, true])
  })

  it('never stores a page that misses an earlier write to another of the user\'s rows, which the newest write does not name', async () => {
    const { owner, groups } = await talking(3)
    const cache = memoryCache()
    const { messaging, hits } = reader(cache)
    const told = createMessaging({ client: admin, tableName, cache })
    lagMs = 400
    await told.createMessage({ messageGroupUuid: groups[0]!, sender: owner, message: 'first, still lagging' })
    lagMs = 0
    await told.createMessage({ messageGroupUuid: groups[1]!, sender: owner, message: 'second, shown at once' })
    // The version names only the second row: the page shows it, so it is fresh for that write, but it is too young.
    expect(await previews(messaging, owner)).toEqual(['second, shown at once', 'hello 2', 'hello 0'])
    await sleep(INDEX_SETTLE_MS + 50)
    expect(await previews(messaging, owner)).toEqual(['second, shown at once', 'first, still lagging', 'hello 2'])
    expect(await previews(messaging, owner)).toEqual(['second, shown at once', 'first, still lagging', 'hello 2'])
    expect(hits()).toEqual([false, false, true])
  })
})
