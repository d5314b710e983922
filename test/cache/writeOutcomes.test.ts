// Every write tells the cache, also when its outcome is unknown (issue 17). Each test caches a page through the public
// API, makes one write against DynamoDB Local (an answer lost on the wire by the fault proxy, an adopted bootcamp
// conversation, a count corrupted by hand), and checks what the next cached read returns.
import { describe, expect, it } from 'vitest'
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { repairTable } from '../../src/admin/index.js'
import { memoryCache } from '../../src/cache/index.js'
import { createMessaging, type MessagingClient } from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'

const { client, tableName } = await testTable('cache-write-outcomes')
const fast = { retry: { baseDelayMs: 1 } }

/** What `userUuid`'s conversation list (read through the cache) says of one conversation. */
async function listed(messaging: MessagingClient, userUuid: string, messageGroupUuid: string) {
  const { items } = await messaging.listMessageGroups({ userUuid })
  const group = items.find((item) => item.messageGroupUuid === messageGroupUuid)
  return group && { lastMessage: group.lastMessage, unreadCount: group.unreadCount }
}

/** A conversation with two messages from Alice; Bob's row shows both unread. */
async function conversation(messaging: MessagingClient) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'one' })
  const second = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'two' })
  await messaging.updateMessageGroups(second) // Pattern D, as the stream handler would run it
  return { messageGroupUuid, alice, bob, second }
}

describe('repairTable correcting an unread count in place', () => {
  it('counts and reports the correction (the dry run too) and marks the owner\'s cached list stale', async () => {
    const cache = memoryCache()
    const messaging = createMessaging({ client, tableName, cache })
    const { messageGroupUuid, bob } = await conversation(messaging)
    // Corrupt Bob's count by a direct write: his row stays at the newest message.
    const row = (await scanAll(client, tableName)).find((item) => item.pk === `GRP#${bob.uuid}` && item.message_group_uuid === messageGroupUuid)!
    await DynamoDBDocumentClient.from(client).send(
      new UpdateCommand({ TableName: tableName, Key: { pk: row.pk, sk: row.sk }, UpdateExpression: 'SET unread_count = :n', ExpressionAttributeValues: { ':n': 7 } })
    )
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 7 }) // cached

    const repair = (dryRun: boolean) => repairTable({ client, tableName, scope: { messageGroupUuid }, cache, dryRun, ...fast })
    const expected = {
      rows: { moved: 0, removed: 0, recreated: 0, corrected: 1 },
      changed: { messageGroupUuids: [messageGroupUuid], userUuids: expect.arrayContaining([bob.uuid]) },
      failed: []
    }
    const dry = await repair(true)
    expect(dry).toMatchObject({ dryRun: true, ...expected })
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 7 }) // nothing written

    expect(await repair(false)).toMatchObject({ dryRun: false, ...expected })
    expect(await listed(messaging, bob.uuid, messageGroupUuid)).toEqual({ lastMessage: 'two', unreadCount: 2 })
    expect(await repair(false)).toMatchObject({ rows: { moved: 0, removed: 0, recreated: 0, corrected: 0 }, changed: { userUuids: [] } })
  })
})
