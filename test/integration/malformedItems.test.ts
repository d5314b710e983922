import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { createMessaging, messageGroupPk, messagePk, type Message, type MessageGroup, type Page } from '../../src/index.js'
import { testTable, user } from '../support/engine.js'
import { direct } from '../support/direct.js'
import { on, runCli } from '../cli/runCli.js'

const { client, tableName } = await testTable('malformed')
const doc = DynamoDBDocumentClient.from(client)
let clock = new Date(0)
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second))
const reported: Array<{ key: string; problem: string }> = []
const messaging = createMessaging({
  client,
  tableName,
  now: () => clock,
  onMalformedItem: (item, problem) => void reported.push({ key: `${item.pk} ${item.sk}`, problem })
})
afterEach(() => void reported.splice(0))

const [alice, bob, carol] = [user('alice'), user('bob'), user('carol')]
const sortKey = (second: number) => `${at(second).toISOString()}#01JZZZZZZZZZZZZZZZZZZZZZZ${second % 10}`
const put = (Item: Record<string, unknown>) => doc.send(new PutCommand({ TableName: tableName, Item }))

// Pattern A's conversation: good messages at 1, 3 and 5 s; between and after them, items other code might write.
clock = at(1)
const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'one' })
clock = at(3)
await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'three' })
clock = at(5)
await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'five' })
const message = (second: number, fields: Record<string, unknown>) =>
  put({ pk: messagePk(messageGroupUuid), sk: sortKey(second), message_uuid: `m${second}`, message: `text ${second}`, user_uuid: bob.uuid, user_display_name: 'Bob', user_handle: 'bob', ...fields })
await message(2, { user_display_name: undefined }) // no display name
await message(4, { message: 42 }) // a number for text
await message(6, { user_handle: undefined }) // the newest message, without a handle
await put({ pk: messagePk(messageGroupUuid), sk: 'zzz', message: 'not a message key' }) // in A's range (>= "0"), newest of all

// Pattern B: alice's list has two good rows (the conversations with bob at 1 s and carol at 7 s) and bad ones.
clock = at(7)
await messaging.createMessageGroup({ sender: alice, recipient: carol, message: 'seven' })
const row = (lastSk: string, fields: Record<string, unknown>) =>
  put({ pk: messageGroupPk(alice.uuid), sk: messagePk(randomUUID()), last_sk: lastSk, message: 'row', user_uuid: carol.uuid, user_display_name: 'Carol', user_handle: 'carol', unread_count: 0, rev: 1, ...fields })
await row(sortKey(8), { message: 7 }) // the newest row, its message a number
await row(sortKey(4), { user_handle: undefined })
await row('~junk', {}) // sorts after every timestamp: the first item a reverse query of the index reads
await row(sortKey(9), { sk: 'MSG#not-a-uuid' }) // a row key of other code, newer still: no cursor may name it
await row(sortKey(6), { unread_count: 250 }) // a count other code wrote: listed, with none unread

/** Every page with `limit`, as a client pages with the cursor; the pages' items and how many pages there were. */
async function allPages<T>(list: (cursor?: string) => Promise<Page<T>>): Promise<{ items: T[]; pages: Page<T>[] }> {
  const pages: Page<T>[] = []
  let cursor: string | undefined
  do {
    const page = await list(cursor)
    pages.push(page)
    cursor = page.cursor
  } while (cursor && pages.length < 50)
  return { items: pages.flatMap((page) => page.items), pages }
}

describe('a malformed item is left out of a list and reported, never failing the page', () => {
  it('Pattern A returns every well-formed message and reports each malformed one once', async () => {
    const page = await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
    expect(page.items.map((m: Message) => m.message)).toEqual(['five', 'three', 'one'])
    expect(page.cursor).toBeUndefined()
    expect(reported).toEqual([
      { key: `${messagePk(messageGroupUuid)} zzz`, problem: 'sk is not a message sort key' },
      { key: `${messagePk(messageGroupUuid)} ${sortKey(6)}`, problem: "Missing required attribute for formatting: 'user_handle'." },
      { key: `${messagePk(messageGroupUuid)} ${sortKey(4)}`, problem: "Invalid attribute detected while formatting: 'message'. Should be a string." },
      { key: `${messagePk(messageGroupUuid)} ${sortKey(2)}`, problem: "Missing required attribute for formatting: 'user_display_name'." }
    ])
  })

  it('Pattern A pages past malformed items: a page of only malformed ones still has the cursor', async () => {
    const { items, pages } = await allPages((cursor) => messaging.listMessages({ messageGroupUuid, limit: 1, ...(cursor && { cursor }) }))
    expect(items.map((m) => m.message)).toEqual(['five', 'three', 'one'])
    // The first read ends on `zzz`, a key no cursor may hold, so the page reads on to the next message key (6 s).
    expect(pages[0]).toEqual({ items: [], cursor: expect.any(String) })
    expect(pages.map((page) => page.items.map((m) => m.message))).toEqual([[], ['five'], [], ['three'], [], ['one'], []])
    expect(reported.map((entry) => entry.key.split(' ')[1])).toEqual(['zzz', sortKey(6), sortKey(4), sortKey(2)])
  })

  it('Pattern B returns every well-formed conversation row and pages past the malformed ones', async () => {
    const page = await messaging.listMessageGroups({ userUuid: alice.uuid })
    // Alice's row with Bob shows her own last message, 'five': a sender's row is brought to their send.
    expect(page.items.map((group: MessageGroup) => [direct(group).otherUserHandle, group.lastMessage, group.unreadCount])).toEqual([
      ['carol', 'seven', 0],
      ['carol', 'row', 0],
      ['bob', 'five', 0]
    ])
    expect(reported.map((entry) => entry.problem)).toEqual([
      'last_sk is not a message sort key',
      'sk is not a conversation row key (MSG#<uuid>)',
      "Invalid attribute detected while formatting: 'message'. Should be a string.",
      'a direct conversation row without its other participant (user_uuid, user_display_name, user_handle) or last message'
    ])
    reported.splice(0)
    const { items, pages } = await allPages((cursor) => messaging.listMessageGroups({ userUuid: alice.uuid, limit: 1, ...(cursor && { cursor }) }))
    expect(items.map((group) => group.lastMessage)).toEqual(['seven', 'row', 'five'])
    // `~junk`, then the rows at 9 s and 8 s, all left out: the page reads on to a row a cursor may name.
    expect(pages[0]).toEqual({ items: [], cursor: expect.any(String) })
    expect(reported).toHaveLength(4)
  })

  it('by default warns with the key and the problem, not the text', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const plain = createMessaging({ client, tableName })
      expect((await plain.listMessages({ messageGroupUuid })).items).toHaveLength(3)
      expect(warn).toHaveBeenCalledTimes(4)
      const line = String(warn.mock.calls[2]![0])
      const key = `pk ${messagePk(messageGroupUuid)}, sk ${sortKey(4)}`
      expect(line).toContain(key)
      expect(line).toContain("'message'")
      // The text (42) is not in the line; the random uuid in the key may hold those digits, so look past it.
      expect(line.replace(key, '')).not.toContain('42')
    } finally {
      warn.mockRestore()
    }
  })

  it('the CLI commands that list show the well-formed items and say what they left out', async () => {
    const conversation = await runCli(['get-conversation', messageGroupUuid, '--json', ...on(tableName)])
    expect(conversation.code).toBe(0)
    expect((JSON.parse(conversation.stdout) as Message[]).map((m) => m.message)).toEqual(['one', 'three', 'five'])
    expect(conversation.stderr).toContain(`left a malformed item out of a list (pk ${messagePk(messageGroupUuid)}, sk ${sortKey(2)})`)

    const conversations = await runCli(['list-conversations', alice.uuid, '--json', ...on(tableName)])
    expect(conversations.code).toBe(0)
    expect((JSON.parse(conversations.stdout) as MessageGroup[]).map((group) => group.lastMessage)).toEqual(['seven', 'row', 'five'])
    expect(conversations.stderr).toContain('last_sk is not a message sort key') // `~junk`
    expect(conversations.stderr).toContain('sk MSG#not-a-uuid): sk is not a conversation row key (MSG#<uuid>)')
  })
})
