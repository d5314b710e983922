// Items exactly as the bootcamp's Python code wrote them (test/fixtures/seed-layout.json): not read as they are since
// rows stay in place, and read as expected once `adoptTable` migrated them.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { adoptTable } from '../../src/admin/index.js'
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
const newestSk = '2023-03-01T10:00:02.654321'

const { client, tableName } = await testTable('seedlayout')
await DynamoDBDocumentClient.from(client).send(
  new BatchWriteCommand({ RequestItems: { [tableName]: fixture.items.map((Item) => ({ PutRequest: { Item } })) } })
)
const messaging = createMessaging({ client, tableName, now: () => new Date('2026-02-02T02:02:02.002Z') })

describe('a table the bootcamp code filled', () => {
  it('is not read as it is: no conversation listed, nobody a member, nothing written', async () => {
    const before = await scanAll(client, tableName)
    expect((await messaging.listMessageGroups({ userUuid: andrew.uuid })).items).toEqual([])
    expect(await messaging.getParticipants(messageGroupUuid)).toBeUndefined()
    await expect(messaging.listMessages({ messageGroupUuid, viewerUuid: andrew.uuid })).rejects.toBeInstanceOf(NotAMemberError)
    await expect(messaging.createMessage({ messageGroupUuid, sender: andrew, message: 'hi' })).rejects.toBeInstanceOf(NotAMemberError)
    expect(await scanAll(client, tableName)).toEqual(before)
  })

  it('once adopted, lists its messages newest first with times normalised to ISO-8601 UTC', async () => {
    const result = await adoptTable({ client, tableName, retry: { baseDelayMs: 1 } })
    expect(result).toMatchObject({ migrated: 1, written: { conversations: 1, memberships: 2, rows: 2 }, deleted: { rows: 3 }, failed: [] })
    const { items } = await messaging.listMessages({ messageGroupUuid, viewerUuid: andrew.uuid })
    expect(items.map((m) => [m.message, m.createdAt])).toEqual([
      ["G'Kar.", '2023-03-01T10:00:02.654Z'],
      ['Favourite character?', '2023-03-01T10:00:01.123Z'],
      ['Yes, all five seasons.', '2023-03-01T10:00:00.500Z'],
      ['Have you watched Babylon 5?', '2023-03-01T10:00:00.000Z']
    ])
    expect(items[0]).toMatchObject({ uuid: '00000000-0000-4000-8000-0000000000a4', userUuid: bayko.uuid, handle: 'bayko', displayName: 'Andrew Bayko' })
  })

  it('lists the conversation once where the seeds left a duplicate row, read up to the newest message it showed', async () => {
    const { items } = await messaging.listMessageGroups({ userUuid: andrew.uuid })
    expect(items).toEqual([
      {
        kind: 'direct',
        messageGroupUuid,
        lastSenderUuid: bayko.uuid,
        otherUserUuid: bayko.uuid,
        otherUserDisplayName: 'Andrew Bayko',
        otherUserHandle: 'bayko',
        lastMessage: "G'Kar.",
        lastMessageAt: '2023-03-01T10:00:02.654Z',
        sortKey: newestSk,
        unreadCount: 0,
        lastReadAt: '2023-03-01T10:00:02.654Z',
        lastReadSortKey: newestSk
      }
    ])
  })

  it('checks membership from the membership items: a stranger neither reads nor posts, and nothing is written', async () => {
    const stranger = user('stranger')
    const before = await scanAll(client, tableName)
    expect((await messaging.getParticipants(messageGroupUuid))?.map((p) => p.handle).sort()).toEqual(['andrewbrown', 'bayko'])
    await expect(messaging.createMessage({ messageGroupUuid, sender: stranger, message: 'hi' })).rejects.toBeInstanceOf(NotAMemberError)
    await expect(messaging.listMessages({ messageGroupUuid, viewerUuid: stranger.uuid })).rejects.toBeInstanceOf(NotAMemberError)
    expect(await scanAll(client, tableName)).toEqual(before)
  })

  it('takes a new message after the old ones: the sender sees it at once, Pattern D brings the other row with its count', async () => {
    const reply = await messaging.createMessage({ messageGroupUuid, sender: andrew, message: 'Mine too.' })
    expect((await messaging.listMessages({ messageGroupUuid })).items[0]?.message).toBe('Mine too.')
    expect(await messaging.updateMessageGroups(reply)).toMatchObject({
      updated: 1,
      participants: [
        { userUuid: andrew.uuid, unreadCount: 0, lastReadSortKey: reply.sortKey },
        { userUuid: bayko.uuid, unreadCount: 1, lastReadSortKey: newestSk }
      ].sort((a, b) => (a.userUuid < b.userUuid ? -1 : 1))
    })
    const rows = (await scanAll(client, tableName)).filter((item) => String(item.pk).startsWith('GRP#'))
    expect(rows.map((row) => [row.pk, row.sk, row.message, row.last_read_sk, row.unread_count, row.unread_owner_uuid]).sort()).toEqual([
      [`GRP#${andrew.uuid}`, `MSG#${messageGroupUuid}`, 'Mine too.', reply.sortKey, 0, undefined],
      [`GRP#${bayko.uuid}`, `MSG#${messageGroupUuid}`, 'Mine too.', newestSk, 1, bayko.uuid]
    ])
    expect(await messaging.markRead({ messageGroupUuid, userUuid: bayko.uuid })).toMatchObject({ changed: true, unreadCount: 0, lastReadSortKey: reply.sortKey })
    expect(await messaging.countUnread({ userUuid: bayko.uuid })).toEqual({ conversations: 0, messages: 0 })
  })
})
