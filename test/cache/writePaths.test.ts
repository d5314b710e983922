// Issue 17 on the rows-in-place layout: every write path tells the cache what it wrote, also when the outcome of the
// write is unknown (an answer lost after DynamoDB acted), through a real adapter (in memory, and Redis) against
// DynamoDB Local. Lost answers are made on the wire by the fault proxy: the engine writes, the client sees a network
// error (and, with the SDK's retries on, its retry meets its own write).
import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { ulid } from 'ulid'
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { createMessaging, messageGroupUuidFor, type MessagingCache, type MessagingClient } from '../../src/index.js'
import { memoryCache, redisCache } from '../../src/cache/index.js'
import { INDEX_SETTLE_MS } from '../../src/conversations/listMessageGroups.js'
import { pairLinkItem } from '../../src/table/pairLink.js'
import { localDynamoDbClient } from '../../src/local/index.js'
import { testTable, user } from '../support/engine.js'
import { cacheErrors, redisClient } from '../support/cache.js'
import { writeConversation } from '../support/layout.js'
import { wireFaults } from '../support/wireFaults.js'

const { client: admin, tableName } = await testTable('cache-write-paths')
// Through the proxy: with the SDK's retries off (the caller sees the lost answer) and on (a retry meets the write).
const { proxy, client: once } = await wireFaults()
const retrying = localDynamoDbClient(proxy.endpoint, { maxAttempts: 3 })
const errors = cacheErrors()
beforeEach(() => void (errors.seen.length = 0))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Loses the answers to the first `times` requests of `operation` (whose body matches), after the engine acted. */
const loseAnswers = (operation: string, times = 1, match?: (body: string) => boolean) =>
  proxy.setRules([{ fault: 'lostAnswer', operations: [operation], times, ...(match && { match: (body) => match(JSON.stringify(body)) }) }])

describe.each<[string, () => MessagingCache]>([
  ['memoryCache', () => memoryCache()],
  ['redisCache', () => redisCache({ client: redisClient(), prefix: `wp-${randomUUID().slice(0, 8)}:` })]
])('through %s', (_, makeCache) => {
  /** A reader and a writer sharing one cache, the writer's requests through the proxy (`retries`: the SDK's on). */
  function clients(retries = false) {
    const cache = makeCache()
    const options = { tableName, cache, onCacheError: errors.onCacheError }
    return {
      reader: createMessaging({ client: admin, ...options }),
      writer: createMessaging({ client: retries ? retrying : once, ...options })
    }
  }
  /** Alice and Bob talking, with Bob's list (after settling, so that it is stored) and the conversation's page cached. */
  async function cachedConversation(reader: MessagingClient) {
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await reader.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob' })
    await sleep(INDEX_SETTLE_MS)
    const list = await reader.listMessageGroups({ userUuid: bob.uuid })
    expect(list.items.map((group) => group.unreadCount)).toEqual([1])
    expect(await reader.listMessageGroups({ userUuid: bob.uuid })).toEqual(list) // served from the cache from now on
    await reader.listMessages({ messageGroupUuid, viewerUuid: bob.uuid })
    return { alice, bob, messageGroupUuid }
  }
  const unread = async (reader: MessagingClient, userUuid: string) => (await reader.listMessageGroups({ userUuid })).items.map((group) => group.unreadCount)

  describe('markRead whose answer was lost', () => {
    it('invalidates when the SDK retried and found its own write (changed: false): the list shows the read', async () => {
      const { reader, writer } = clients(true)
      const { bob, messageGroupUuid } = await cachedConversation(reader)
      loseAnswers('UpdateItem')
      const result = await writer.markRead({ messageGroupUuid, userUuid: bob.uuid })
      expect(proxy.stats.faults).toEqual({ 'UpdateItem:lostAnswer': 1 })
      expect(result).toMatchObject({ changed: false, unreadCount: 0 })
      expect(await unread(reader, bob.uuid)).toEqual([0])
      // Calling it again, the documented repair, would change nothing more: the first call had to invalidate.
      expect(errors.seen).toEqual([])
    })

    it('invalidates when it throws the lost answer (no retries)', async () => {
      const { reader, writer } = clients()
      const { bob, messageGroupUuid } = await cachedConversation(reader)
      loseAnswers('UpdateItem')
      await expect(writer.markRead({ messageGroupUuid, userUuid: bob.uuid })).rejects.toMatchObject({ name: expect.stringMatching(/TimeoutError|Error/) })
      expect(await unread(reader, bob.uuid)).toEqual([0])
    })
  })

  describe('createMessageGroup by handle into an adopted conversation (a pair link)', () => {
    /** A conversation the pair had before adoption (a random id), and the pair link adopt leaves at the derived id. */
    async function adoptedPair(reader: MessagingClient) {
      const [alice, bob] = [user('alice'), user('bob')]
      const adopted = randomUUID()
      await writeConversation(admin, tableName, adopted, [alice, bob], [
        [alice, 'Have you watched Babylon 5?', '2023-03-01T10:00:00+00:00'],
        [bob, 'Yes, all five seasons.', '2023-03-01T10:00:01+00:00']
      ])
      const link = pairLinkItem(messageGroupUuidFor(alice.uuid, bob.uuid), adopted)
      await DynamoDBDocumentClient.from(admin).send(new PutCommand({ TableName: tableName, Item: link }))
      await sleep(INDEX_SETTLE_MS)
      expect((await reader.listMessages({ messageGroupUuid: adopted, viewerUuid: alice.uuid })).items[0]?.message).toBe('Yes, all five seasons.')
      expect((await reader.listMessageGroups({ userUuid: alice.uuid })).items[0]?.lastMessage).toBe('Yes, all five seasons.')
      return { alice, bob, adopted }
    }

    it("invalidates the linked conversation's pages and the sender's list, not only the pair's derived id", async () => {
      const { reader, writer } = clients()
      const { alice, bob, adopted } = await adoptedPair(reader)
      const sent = await writer.createMessageGroup({ sender: alice, recipient: bob, message: 'Rewatching it now' })
      expect(sent).toMatchObject({ messageGroupUuid: adopted, created: false })
      expect((await reader.listMessages({ messageGroupUuid: adopted, viewerUuid: alice.uuid })).items[0]).toEqual(sent.message)
      expect((await reader.listMessageGroups({ userUuid: alice.uuid })).items[0]).toMatchObject({ messageGroupUuid: adopted, lastMessage: 'Rewatching it now' })
    })

    it('invalidates them also when the answer to the message put was lost', async () => {
      const { reader, writer } = clients()
      const { alice, bob, adopted } = await adoptedPair(reader)
      loseAnswers('PutItem')
      await expect(writer.createMessageGroup({ sender: alice, recipient: bob, message: 'Did it arrive?', messageId: ulid() })).rejects.toThrow()
      expect((await reader.listMessages({ messageGroupUuid: adopted, viewerUuid: alice.uuid })).items[0]?.message).toBe('Did it arrive?')
    })
  })

  describe('createMessage with a messageId, retried after a lost answer', () => {
    it('invalidates the pages when the put landed but its answer was lost, and the retry answers with the stored message', async () => {
      const { reader, writer } = clients()
      const { bob, messageGroupUuid } = await cachedConversation(reader)
      const messageId = ulid()
      loseAnswers('PutItem')
      await expect(writer.createMessage({ messageGroupUuid, sender: bob, message: 'once', messageId })).rejects.toThrow()
      expect((await reader.listMessages({ messageGroupUuid, viewerUuid: bob.uuid })).items[0]?.message).toBe('once')
      const retry = await writer.createMessage({ messageGroupUuid, sender: bob, message: 'once', messageId })
      expect((await reader.listMessages({ messageGroupUuid, viewerUuid: bob.uuid })).items.filter((m) => m.message === 'once')).toEqual([retry])
      expect((await reader.listMessageGroups({ userUuid: bob.uuid })).items[0]).toMatchObject({ lastMessage: 'once', unreadCount: 0 })
    })

    it("invalidates the sender's list when the answer to their row's update was lost", async () => {
      const { reader, writer } = clients()
      const { bob, messageGroupUuid } = await cachedConversation(reader)
      loseAnswers('UpdateItem')
      const sent = await writer.createMessage({ messageGroupUuid, sender: bob, message: 'row written, answer lost', messageId: ulid() })
      expect(proxy.stats.faults).toEqual({ 'UpdateItem:lostAnswer': 1 })
      expect((await reader.listMessageGroups({ userUuid: bob.uuid })).items[0]).toMatchObject({ sortKey: sent.sortKey, unreadCount: 0 })
    })
  })

  describe('updateMessageGroups', () => {
    it("invalidates every member's list when it fails after writing some rows", async () => {
      const { reader, writer } = clients()
      const { alice, bob, messageGroupUuid } = await cachedConversation(reader)
      await reader.listMessageGroups({ userUuid: alice.uuid })
      expect(await reader.listMessageGroups({ userUuid: alice.uuid })).toMatchObject({ items: [{ lastMessage: 'Hi Bob' }] })
      // Bob replies through code without the sender's-row write: both rows are Pattern D's to write.
      const reply = await createMessaging({ client: admin, tableName, updateSenderRow: false }).createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice' })
      // Alice's row is written; Bob's write fails on the wire: the call throws.
      proxy.setRules([{ fault: 'reset', operations: ['UpdateItem'], match: (body) => JSON.stringify(body).includes(`GRP#${bob.uuid}`) }])
      await expect(writer.updateMessageGroups(reply)).rejects.toThrow()
      expect((await reader.listMessageGroups({ userUuid: alice.uuid })).items[0]).toMatchObject({ lastMessage: 'Hi Alice', unreadCount: 1 })
    })

    it('invalidates every member\'s list when the answer to a row write was lost', async () => {
      const { reader, writer } = clients()
      const { bob, messageGroupUuid } = await cachedConversation(reader)
      const reply = await createMessaging({ client: admin, tableName, updateSenderRow: false }).createMessage({ messageGroupUuid, sender: bob, message: 'Anyone?' })
      loseAnswers('UpdateItem', 1, (body) => body.includes(`GRP#${bob.uuid}`))
      await expect(writer.updateMessageGroups(reply)).rejects.toThrow()
      expect((await reader.listMessageGroups({ userUuid: bob.uuid })).items[0]).toMatchObject({ lastMessage: 'Anyone?', unreadCount: 0 })
    })
  })
})
