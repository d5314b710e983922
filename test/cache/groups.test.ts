// Groups through a cache: every group write marks what it changed stale, so a cached list or membership never shows
// a title, a member count or a membership that is no longer true.
import { describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler, NotAMemberError, type MessagingClient } from '../../src/index.js'
import { memoryCache } from '../../src/cache/index.js'
import { INDEX_SETTLE_MS } from '../../src/conversations/listMessageGroups.js'
import { testTable, user } from '../support/engine.js'
import { insertRecordOf } from '../support/streamRecords.js'

const { client, tableName } = await testTable('cache-groups')
const cache = memoryCache()
const reads: string[] = []
const messaging = createMessaging({ client, tableName, cache, onCacheRead: (event) => void reads.push(`${event.kind}:${event.hit ? 'hit' : 'miss'}`) })
const handler = createStreamHandler({ client, tableName, cache, baseDelayMs: 1 })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const groupOf = async (reader: MessagingClient, userUuid: string, messageGroupUuid: string) =>
  (await reader.listMessageGroups({ userUuid })).items.find((item) => item.messageGroupUuid === messageGroupUuid)

describe('a group through the cache', () => {
  it('shows a rename, a new member, a removal and a new message at once in lists that were cached', async () => {
    const [ada, ben, cleo, dana] = [user('ada'), user('ben'), user('cleo'), user('dana')]
    const { messageGroupUuid } = await messaging.createGroup({ creator: ada, members: [ben, cleo], title: 'Launch', message: 'hi' })
    await sleep(INDEX_SETTLE_MS)
    // Cached: ben's list and cleo's membership (she read the messages).
    const first = await groupOf(messaging, ben.uuid, messageGroupUuid)
    expect(first).toMatchObject({ title: 'Launch', memberCount: 3 })
    reads.length = 0
    expect(await groupOf(messaging, ben.uuid, messageGroupUuid)).toEqual(first)
    expect(reads).toContain('B:hit')
    await messaging.listMessages({ messageGroupUuid, viewerUuid: cleo.uuid })

    await messaging.renameGroup({ messageGroupUuid, by: ada.uuid, title: 'Launch, week 2' })
    expect(await groupOf(messaging, ben.uuid, messageGroupUuid)).toMatchObject({ title: 'Launch, week 2', memberCount: 3 })

    await messaging.addMembers({ messageGroupUuid, by: ada.uuid, members: [dana] })
    expect(await groupOf(messaging, ben.uuid, messageGroupUuid)).toMatchObject({ memberCount: 4 })
    expect(await groupOf(messaging, dana.uuid, messageGroupUuid)).toMatchObject({ title: 'Launch, week 2', unreadCount: 0 })

    await sleep(INDEX_SETTLE_MS)
    await groupOf(messaging, cleo.uuid, messageGroupUuid) // cleo's list cached too
    await messaging.removeMember({ messageGroupUuid, by: ada.uuid, userUuid: cleo.uuid })
    await expect(messaging.listMessages({ messageGroupUuid, viewerUuid: cleo.uuid })).rejects.toBeInstanceOf(NotAMemberError)
    expect(await groupOf(messaging, cleo.uuid, messageGroupUuid)).toBeUndefined()
    expect(await groupOf(messaging, ben.uuid, messageGroupUuid)).toMatchObject({ memberCount: 3 })

    await sleep(INDEX_SETTLE_MS)
    await groupOf(messaging, dana.uuid, messageGroupUuid)
    const message = await messaging.createMessage({ messageGroupUuid, sender: ben, message: 'news' })
    expect(await handler({ Records: [insertRecordOf(message, 1)] })).toEqual({ batchItemFailures: [] })
    expect(await groupOf(messaging, dana.uuid, messageGroupUuid)).toMatchObject({ lastMessage: 'news', lastSenderHandle: 'ben', unreadCount: 1 })
  })
})
