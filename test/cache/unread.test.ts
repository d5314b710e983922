// Unread counts through the cache (a real Redis): Pattern B pages carry each conversation's unread count, so every
// write that changes a count (the stream moving rows, markRead) must mark the owner's cached lists stale.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { redisCache } from '../../src/cache/index.js'
import { createMessaging } from '../../src/index.js'
import { redisClient } from '../support/cache.js'
import { testTable, user } from '../support/engine.js'
import { INDEX_SETTLE_MS } from '../../src/conversations/listMessageGroups.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const { client, tableName } = await testTable('cache-unread')

const unreadOf = async (messaging: ReturnType<typeof createMessaging>, userUuid: string, messageGroupUuid: string) =>
  (await messaging.listMessageGroups({ userUuid })).items.find((group) => group.messageGroupUuid === messageGroupUuid)?.unreadCount

describe('unread counts in cached conversation lists', () => {
  const cache = redisCache({ client: redisClient(), prefix: `t-${randomUUID().slice(0, 8)}:` })
  const api = createMessaging({ client, tableName, cache })

  it('a new message and markRead each show in the next cached list', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await api.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob' })
    expect(await unreadOf(api, bob.uuid, messageGroupUuid)).toBe(1) // now cached

    const again = await api.createMessage({ messageGroupUuid, sender: alice, message: 'Are you there?' })
    await api.updateMessageGroups(again) // Pattern D, as the stream handler would run it with the same cache
    expect(await unreadOf(api, bob.uuid, messageGroupUuid)).toBe(2)

    expect(await api.markRead({ messageGroupUuid, userUuid: bob.uuid })).toMatchObject({ changed: true, unreadCount: 0 })
    expect(await unreadOf(api, bob.uuid, messageGroupUuid)).toBe(0)
  })

  it('(the check above can fail: a markRead that does not invalidate leaves the cached count)', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await api.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob' })
    await sleep(INDEX_SETTLE_MS) // a list read this long after the last write to it is stored
    expect(await unreadOf(api, bob.uuid, messageGroupUuid)).toBe(1)
    await createMessaging({ client, tableName }).markRead({ messageGroupUuid, userUuid: bob.uuid }) // no cache given
    expect(await unreadOf(api, bob.uuid, messageGroupUuid)).toBe(1)
  })
})
