import { describe, expect, it } from 'vitest'
import { createMessaging, type Message, type MessageGroup, type MessagingClient, type Page } from '../../src/index.js'
import { testTable, user } from '../support/engine.js'
import { direct } from '../support/direct.js'

const { client, tableName } = await testTable('ordering')

async function pageThrough<T>(list: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = []
  let cursor: string | undefined
  do {
    const page = await list(cursor)
    all.push(...page.items)
    cursor = page.cursor
  } while (cursor)
  return all
}

describe('ordering and collisions', () => {
  it('stores 200 concurrent messages into one group, all reachable by paging, no duplicates or gaps', async () => {
    const messaging = createMessaging({ client, tableName })
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
    const sent = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        messaging.createMessage({ messageGroupUuid, sender: i % 2 ? alice : bob, message: `message ${i}` })
      )
    )
    const listed = await pageThrough((cursor) => messaging.listMessages({ messageGroupUuid, limit: 17, cursor }))
    expect(listed).toHaveLength(201)
    expect(new Set(listed.map((m) => m.uuid)).size).toBe(201)
    expect(new Set(listed.map((m) => m.message))).toEqual(new Set(['start', ...sent.map((m) => m.message)]))
    const keys = listed.map((m) => m.sortKey)
    expect(keys).toEqual([...keys].sort().reverse()) // newest first, strictly
  })

  it('keeps two messages sent in the same millisecond', async () => {
    const frozen = new Date('2026-03-03T03:03:03.003Z')
    const messaging = createMessaging({ client, tableName, now: () => frozen })
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'one' })
    await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'two' })
    await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'three' })
    const { items } = await messaging.listMessages({ messageGroupUuid })
    expect(items.map((m) => m.message)).toEqual(['three', 'two', 'one'])
    expect(new Set(items.map((m) => m.createdAt))).toEqual(new Set([frozen.toISOString()]))
  })

  it('lists both of a user\'s conversations whose last messages share a timestamp', async () => {
    const frozen = new Date('2026-04-04T04:04:04.004Z')
    const messaging = createMessaging({ client, tableName, now: () => frozen })
    const [alice, bob, carol] = [user('alice'), user('bob'), user('carol')]
    await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'to bob' })
    await messaging.createMessageGroup({ sender: alice, recipient: carol, message: 'to carol' })
    const { items } = await messaging.listMessageGroups({ userUuid: alice.uuid })
    expect(items.map((g) => direct(g).otherUserHandle).sort()).toEqual(['bob', 'carol'])
    expect(new Set(items.map((g) => g.lastMessageAt))).toEqual(new Set([frozen.toISOString()]))
  })

  it('lists a conversation that spans New Year whole, with no year filter', async () => {
    let now = new Date('2025-12-31T23:59:58.000Z')
    const messaging = createMessaging({ client, tableName, now: () => now })
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'old year' })
    now = new Date('2025-12-31T23:59:59.999Z')
    await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'last second' })
    now = new Date('2026-01-01T00:00:00.000Z')
    const newYear = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'happy new year' })
    await messaging.updateMessageGroups(newYear)

    const listed = await pageThrough((cursor) => messaging.listMessages({ messageGroupUuid, limit: 1, cursor }))
    expect(listed.map((m) => m.message)).toEqual(['happy new year', 'last second', 'old year'])
    const groups: MessageGroup[] = (await messaging.listMessageGroups({ userUuid: bob.uuid })).items
    expect(groups.map((g) => [g.lastMessage, g.lastMessageAt])).toEqual([['happy new year', '2026-01-01T00:00:00.000Z']])
  })

  it('pages a user\'s conversations newest first without repeats', async () => {
    let tick = Date.parse('2026-05-05T00:00:00.000Z')
    const messaging: MessagingClient = createMessaging({ client, tableName, now: () => new Date((tick += 1000)) })
    const alice = user('alice')
    const others = Array.from({ length: 7 }, (_, i) => user(`friend${i}`))
    for (const other of others) await messaging.createMessageGroup({ sender: other, recipient: alice, message: `from ${other.handle}` })
    const listed = await pageThrough((cursor) => messaging.listMessageGroups({ userUuid: alice.uuid, limit: 3, cursor }))
    expect(listed.map((g) => direct(g).otherUserHandle)).toEqual(others.map((o) => o.handle).reverse())
    const messages: Message[] = (await messaging.listMessages({ messageGroupUuid: listed[0]!.messageGroupUuid })).items
    expect(messages[0]?.message).toBe('from friend6')
  })
})
