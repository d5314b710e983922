import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createMessaging, NotAMemberError } from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'

interface SeedUser { uuid: string; display_name: string; handle: string }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/seed-layout.json', import.meta.url), 'utf8')) as {
  users: { andrew: SeedUser; bayko: SeedUser }
  message_group_uuid: string
  items: Record<string, string>[]
}
const participant = (u: SeedUser) => ({ uuid: u.uuid, displayName: u.display_name, handle: u.handle })
const andrew = participant(fixture.users.andrew)
const bayko = participant(fixture.users.bayko)
const messageGroupUuid = fixture.message_group_uuid

const { client, tableName } = await testTable('seedlayout')
await DynamoDBDocumentClient.from(client).send(
  new BatchWriteCommand({ RequestItems: { [tableName]: fixture.items.map((Item) => ({ PutRequest: { Item } })) } })
)
const messaging = createMessaging({ client, tableName, now: () => new Date('2026-02-02T02:02:02.002Z') })

describe('a table the bootcamp code filled', () => {
  it('lists its messages newest first with times normalised to ISO-8601 UTC', async () => {
    const { items } = await messaging.listMessages({ messageGroupUuid, viewerUuid: andrew.uuid })
    expect(items.map((m) => [m.message, m.createdAt])).toEqual([
      ["G'Kar.", '2023-03-01T10:00:02.654Z'],
      ['Favourite character?', '2023-03-01T10:00:01.123Z'],
      ['Yes, all five seasons.', '2023-03-01T10:00:00.500Z'],
      ['Have you watched Babylon 5?', '2023-03-01T10:00:00.000Z']
    ])
    expect(items[0]).toMatchObject({ uuid: '00000000-0000-4000-8000-0000000000a4', userUuid: bayko.uuid, handle: 'bayko', displayName: 'Andrew Bayko' })
  })

  it('lists a conversation once even where the seeds left a duplicate row', async () => {
    const { items } = await messaging.listMessageGroups({ userUuid: andrew.uuid })
    expect(items).toEqual([
      {
        messageGroupUuid,
        otherUserUuid: bayko.uuid,
        otherUserDisplayName: 'Andrew Bayko',
        otherUserHandle: 'bayko',
        lastMessage: "G'Kar.",
        lastMessageAt: '2023-03-01T10:00:02.654Z',
        sortKey: '2023-03-01T10:00:02.654321',
        unreadCount: 0 // a row without a count reads as 0, with no read time
      }
    ])
  })

  it('checks membership from the group rows, since there is no members item', async () => {
    const stranger = user('stranger')
    const before = await scanAll(client, tableName)
    await expect(messaging.createMessage({ messageGroupUuid, sender: stranger, message: 'hi' })).rejects.toBeInstanceOf(NotAMemberError)
    await expect(messaging.listMessages({ messageGroupUuid, viewerUuid: stranger.uuid })).rejects.toBeInstanceOf(NotAMemberError)
    expect(await scanAll(client, tableName)).toEqual(before)
  })

  it('takes a new message after the old ones and moves both rows to it, removing the duplicate', async () => {
    const reply = await messaging.createMessage({ messageGroupUuid, sender: andrew, message: 'Mine too.' })
    expect((await messaging.listMessages({ messageGroupUuid })).items[0]?.message).toBe('Mine too.')
    // The rows gain their counts as they move: read up to their old message, and the sender up to his own.
    const oldSk = '2023-03-01T10:00:02.654321'
    expect(await messaging.updateMessageGroups(reply)).toEqual({
      moved: 2,
      removed: 1,
      recreated: 0,
      corrected: 0,
      lost: [],
      owners: [andrew.uuid, bayko.uuid].sort(),
      participants: [
        { userUuid: andrew.uuid, unreadCount: 0, lastReadSortKey: reply.sortKey },
        { userUuid: bayko.uuid, unreadCount: 1, lastReadSortKey: oldSk }
      ]
    })
    const rows = (await scanAll(client, tableName)).filter((item) => String(item.pk).startsWith('GRP#'))
    expect(rows.map((row) => [row.pk, row.sk, row.message, row.last_read_sk, row.unread_count, row.unread_owner_uuid]).sort()).toEqual([
      [`GRP#${andrew.uuid}`, reply.sortKey, 'Mine too.', reply.sortKey, 0, undefined],
      [`GRP#${bayko.uuid}`, reply.sortKey, 'Mine too.', oldSk, 1, bayko.uuid]
    ])
    const { items } = await messaging.listMessageGroups({ userUuid: bayko.uuid })
    expect(items.map((g) => [g.otherUserHandle, g.lastMessage, g.lastMessageAt, g.unreadCount, g.lastReadAt])).toEqual([
      ['andrewbrown', 'Mine too.', '2026-02-02T02:02:02.002Z', 1, '2023-03-01T10:00:02.654Z']
    ])
    expect(await messaging.markRead({ messageGroupUuid, userUuid: bayko.uuid })).toMatchObject({ changed: true, unreadCount: 0, lastReadSortKey: reply.sortKey })
    expect(await messaging.countUnread({ userUuid: bayko.uuid })).toEqual({ conversations: 0, messages: 0 })
  })
})
