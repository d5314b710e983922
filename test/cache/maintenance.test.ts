// adoptTable and repairTable given the API's cache (a real Redis): what they change is marked stale there, so an API
// reading through that cache shows the rows they wrote at once, not after the TTL. Each case runs with the cache
// given, and without it, to show the check can fail (the API keeps serving the lists cached before the run).
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { adoptTable, repairTable } from '../../src/admin/index.js'
import { redisCache } from '../../src/cache/index.js'
import { createMessaging } from '../../src/index.js'
import { seedsSendMessage } from '../../bench/seedsAlgorithm.js'
import { pythonIso, type BootcampConversation } from '../support/bootcampTable.js'
import { bootcampTables } from '../support/bootcampTables.js'
import { redisClient } from '../support/cache.js'

const { client, bootcamp } = bootcampTables('cache-maintenance')
const doc = DynamoDBDocumentClient.from(client)
const fast = { retry: { baseDelayMs: 1 } }
type Cache = ReturnType<typeof redisCache>

/** What each member's conversation list, read through the cache, says is the last message of `conversation`. */
async function listed(messaging: ReturnType<typeof createMessaging>, conversation: BootcampConversation) {
  return Promise.all(
    conversation.participants.map(async (participant) => {
      const { items } = await messaging.listMessageGroups({ userUuid: participant.uuid, limit: 100 })
      return items.find((group) => group.messageGroupUuid === conversation.messageGroupUuid)?.lastMessage
    })
  )
}

/** An adopted bootcamp table, an API reading it through a fresh Redis cache, and a conversation to watch. */
async function adopted(label: string) {
  const table = await bootcamp(label, { seed: 5 })
  await adoptTable({ client, tableName: table.tableName, ...fast })
  const cache = redisCache({ client: redisClient(), prefix: `t-${randomUUID().slice(0, 8)}:` })
  const messaging = createMessaging({ client, tableName: table.tableName, cache })
  const conversation = table.conversations.find((c) => c.damage === 'behind')!
  return { table, cache, messaging, conversation }
}

describe.each([
  ['given the cache', true],
  ['(the check can fail: without the cache given)', false]
] as const)('%s', (_label, given) => {
  it(given ? 'repairTable marks the lists of the rows it moved stale: the API shows them at once' : 'after repairTable the API keeps serving the stale lists', async () => {
    const { table, cache, messaging, conversation } = await adopted(`repair-${given}`)
    const [first, second] = conversation.messages
    // Other code moves both rows back to the first message; the API caches the lists as they are then.
    for (const participant of conversation.participants) {
      await doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: { pk: `GRP#${participant.uuid}`, sk: `MSG#${conversation.messageGroupUuid}` },
          UpdateExpression: 'SET last_sk = :sk, message = :text',
          ExpressionAttributeValues: { ':sk': first!.sk, ':text': first!.text }
        })
      )
    }
    expect(await listed(messaging, conversation)).toEqual([first!.text, first!.text])
    expect(second).toBeDefined()

    const result = await repairTable({ client, tableName: table.tableName, scope: 'all', ...fast, ...(given && { cache: cache as Cache }) })
    expect(result.changed.userUuids).toEqual(expect.arrayContaining(conversation.participants.map((p) => p.uuid)))
    const newest = conversation.messages.at(-1)!.text
    expect(await listed(messaging, conversation)).toEqual(given ? [newest, newest] : [first!.text, first!.text])
  })

  it(given ? 'adoptTable bringing old-layout writes in line marks the lists it changed stale' : 'after adoptTable the API keeps serving the stale lists', async () => {
    const { table, cache, messaging, conversation } = await adopted(`adopt-${given}`)
    const before = await listed(messaging, conversation) // cached
    // The bootcamp's app, still running, sends a message, and its stream function re-puts a row of the old layout.
    const at = pythonIso('2031-01-01T00:00:00.250000Z')
    const [creator, recipient] = conversation.participants
    await seedsSendMessage(doc, table.tableName, conversation.messageGroupUuid, recipient, 'late news', at)
    await doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: `GRP#${creator.uuid}`, sk: at, message_group_uuid: conversation.messageGroupUuid, message: 'late news', user_uuid: recipient.uuid, user_display_name: recipient.displayName, user_handle: recipient.handle }
      })
    )
    const result = await adoptTable({ client, tableName: table.tableName, ...fast, ...(given && { cache: cache as Cache }) })
    expect(result.writtenAfterAdopt).toEqual({ items: 1, messageGroupUuids: [conversation.messageGroupUuid] })
    expect(await listed(messaging, conversation)).toEqual(given ? ['late news', 'late news'] : before)
  })
})
