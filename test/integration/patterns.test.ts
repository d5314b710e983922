import { describe, expect, it } from 'vitest'
import {
  CONVERSATION_SK,
  createMessaging,
  messageGroupUuidFor,
  messagePk,
  NotAMemberError,
  ValidationError,
  type MessagingClient
} from '../../src/index.js'
import { createTestTable, dropTestTable, scanAll, testTable, user } from '../support/engine.js'
import { conversationOf, rowsOf } from '../support/layout.js'

const { client, tableName } = await testTable('patterns')
const messaging = createMessaging({ client, tableName })

/** Runs `action`, expects it to throw `type`, and checks that the table is exactly as before. */
async function expectRejectedWithoutWrites<E extends Error>(action: () => Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const before = await scanAll(client, tableName)
  const error = await action().then(
    () => undefined,
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(type)
  expect(await scanAll(client, tableName)).toEqual(before)
  return error as E
}

describe('a conversation end to end (patterns A, B, C, D)', () => {
  const alice = user('alice')
  const bob = user('bob')
  const carol = user('carol')

  it('starts a conversation atomically: its item, both memberships, both rows and the first message', async () => {
    const started = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: '  Hi Bob  ' })
    expect(started.created).toBe(true)
    expect(started.messageGroupUuid).toBe(messageGroupUuidFor(alice.uuid, bob.uuid))
    expect(started.message).toMatchObject({ message: 'Hi Bob', userUuid: alice.uuid, handle: 'alice', displayName: 'Alice' })
    expect(started.message.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    const { conversation, members, messages } = await conversationOf(client, tableName, started.messageGroupUuid)
    expect(conversation).toEqual({ pk: messagePk(started.messageGroupUuid), sk: CONVERSATION_SK, kind: 'direct', created_at: started.message.createdAt })
    expect(members).toEqual([alice.uuid, bob.uuid].sort())
    expect(messages.map((m) => m.message)).toEqual(['Hi Bob'])

    const [aliceGroups, bobGroups] = await Promise.all([
      messaging.listMessageGroups({ userUuid: alice.uuid }),
      messaging.listMessageGroups({ userUuid: bob.uuid })
    ])
    expect(aliceGroups.items).toEqual([
      {
        kind: 'direct',
        messageGroupUuid: started.messageGroupUuid,
        lastSenderUuid: alice.uuid,
        otherUserUuid: bob.uuid,
        otherUserHandle: 'bob',
        otherUserDisplayName: 'Bob',
        lastMessage: 'Hi Bob',
        lastMessageAt: started.message.createdAt,
        sortKey: started.message.sortKey,
        unreadCount: 0, // one's own first message is read
        lastReadAt: started.message.createdAt,
        lastReadSortKey: started.message.sortKey
      }
    ])
    expect(bobGroups.items).toEqual([expect.objectContaining({ otherUserUuid: alice.uuid, otherUserHandle: 'alice', unreadCount: 1 })])
    expect(bobGroups.items[0]).not.toHaveProperty('lastReadSortKey')
  })

  it('adds replies, lists them newest first, and Pattern D brings both rows to the last one in place', async () => {
    const messageGroupUuid = messageGroupUuidFor(alice.uuid, bob.uuid)
    const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice' })
    const again = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'How are you?' })
    expect(reply.uuid).not.toBe(bob.uuid) // the seeds returned the sender's uuid as the message's

    const page = await messaging.listMessages({ messageGroupUuid, viewerUuid: bob.uuid })
    expect(page.items.map((m) => m.message)).toEqual(['How are you?', 'Hi Alice', 'Hi Bob'])
    expect(page.cursor).toBeUndefined()

    // Alice's row is at her message already (the sender's row in the send); Bob's moves, counting her message.
    const result = await messaging.updateMessageGroups(again)
    expect(result).toMatchObject({ updated: 1, missing: [], unknown: false })
    expect(result.owners.map((owner) => [owner.userUuid, owner.lastSk])).toEqual([[alice.uuid, again.sortKey], [bob.uuid, again.sortKey]].sort())
    expect(result.participants).toEqual(
      [
        { userUuid: alice.uuid, unreadCount: 0, lastReadSortKey: again.sortKey },
        { userUuid: bob.uuid, unreadCount: 1, lastReadSortKey: reply.sortKey }
      ].sort((x, y) => x.userUuid.localeCompare(y.userUuid))
    )
    for (const [owner, other] of [[alice, bob], [bob, alice]] as const) {
      const { items } = await messaging.listMessageGroups({ userUuid: owner.uuid })
      expect(items).toHaveLength(1)
      expect(items[0]).toMatchObject({ otherUserUuid: other.uuid, lastMessage: 'How are you?', lastMessageAt: again.createdAt, sortKey: again.sortKey })
      // One row per member, at its fixed key, whatever happened.
      expect((await rowsOf(client, tableName, owner.uuid)).map((row) => row.sk)).toEqual([messagePk(messageGroupUuid)])
    }
    // Repeating it, or applying an older message late, changes nothing.
    expect(await messaging.updateMessageGroups(again)).toMatchObject({ updated: 0, missing: [], unknown: false })
    expect(await messaging.updateMessageGroups(reply)).toMatchObject({ updated: 0, missing: [], unknown: false })
    const { items } = await messaging.listMessageGroups({ userUuid: bob.uuid })
    expect(items.map((g) => [g.lastMessage, g.unreadCount])).toEqual([['How are you?', 1]])
  })

  it('starting a conversation with someone you already talk to adds to it instead of making a second one', async () => {
    const messageGroupUuid = messageGroupUuidFor(alice.uuid, bob.uuid)
    const before = await scanAll(client, tableName)
    const again = await messaging.createMessageGroup({ sender: bob, recipient: alice, message: 'New thread?' })
    expect(again).toMatchObject({ messageGroupUuid, created: false, message: { message: 'New thread?' } })
    const after = await scanAll(client, tableName)
    expect(after).toHaveLength(before.length + 1) // one message; no rows, memberships or conversation item more
    expect((await messaging.listMessageGroups({ userUuid: bob.uuid })).items).toEqual([expect.objectContaining({ lastMessage: 'New thread?', unreadCount: 0 })])
  })

  it('rejects a non-member reading or writing, and writes nothing', async () => {
    const messageGroupUuid = messageGroupUuidFor(alice.uuid, bob.uuid)
    const read = await expectRejectedWithoutWrites(
      () => messaging.listMessages({ messageGroupUuid, viewerUuid: carol.uuid }),
      NotAMemberError
    )
    expect(read.code).toBe('NOT_A_MEMBER')
    await expectRejectedWithoutWrites(
      () => messaging.createMessage({ messageGroupUuid, sender: carol, message: 'let me in' }),
      NotAMemberError
    )
  })

  it('rejects an unknown conversation without creating an orphan partition', async () => {
    const error = await expectRejectedWithoutWrites(
      () => messaging.createMessage({ messageGroupUuid: messageGroupUuidFor(carol.uuid, alice.uuid), sender: carol, message: 'x' }),
      NotAMemberError
    )
    expect(error.code).toBe('NOT_A_MEMBER')
  })

  it('tells a stranger nothing about whether a pair talks: one error, alike but for the uuid', async () => {
    const talking = messageGroupUuidFor(alice.uuid, bob.uuid)
    const silent = messageGroupUuidFor(alice.uuid, carol.uuid)
    const stranger = user('mallory')
    const attempts = async (messageGroupUuid: string) => [
      await expectRejectedWithoutWrites(() => messaging.listMessages({ messageGroupUuid, viewerUuid: stranger.uuid }), NotAMemberError),
      await expectRejectedWithoutWrites(() => messaging.createMessage({ messageGroupUuid, sender: stranger, message: 'hi' }), NotAMemberError)
    ]
    const shape = (error: NotAMemberError, messageGroupUuid: string) => ({
      name: error.name,
      code: error.code,
      message: error.message.replace(messageGroupUuid, '<group>'),
      keys: Object.keys(error).sort()
    })
    const [onTalking, onSilent] = [await attempts(talking), await attempts(silent)]
    expect(onTalking.map((error) => shape(error, talking))).toEqual(onSilent.map((error) => shape(error, silent)))
  })

  it('rejects invalid input with every problem listed, and writes nothing', async () => {
    const error = await expectRejectedWithoutWrites(
      () =>
        messaging.createMessage({
          messageGroupUuid: 'not-a-uuid',
          sender: { uuid: alice.uuid, displayName: '', handle: 'bad handle' },
          message: 'x'.repeat(1025)
        }),
      ValidationError
    )
    expect(error.issues.map((issue) => issue.code)).toEqual([
      'message_group_uuid_invalid',
      'sender_display_name_blank',
      'sender_handle_invalid',
      'message_exceed_max_chars_1024'
    ])
    const blank = await expectRejectedWithoutWrites(
      () => messaging.createMessageGroup({ sender: alice, recipient: carol, message: '   ' }),
      ValidationError
    )
    expect(blank.issues.map((issue) => issue.code)).toEqual(['message_blank'])
    const self = await expectRejectedWithoutWrites(
      () => messaging.createMessageGroup({ sender: alice, recipient: alice, message: 'me' }),
      ValidationError
    )
    expect(self.issues.map((issue) => issue.code)).toEqual(['recipient_is_sender'])
    await expectRejectedWithoutWrites(() => messaging.createMessage(undefined as never), ValidationError)
  })

  it('rejects garbage, tampered and foreign cursors as ValidationError', async () => {
    const messageGroupUuid = messageGroupUuidFor(alice.uuid, bob.uuid)
    const first = await messaging.listMessages({ messageGroupUuid, limit: 1 })
    expect(first.cursor).toBeTypeOf('string')
    const cursor = first.cursor!
    const tampered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`
    const otherGroup = await messaging.createMessageGroup({ sender: carol, recipient: alice, message: 'hello' })
    for (const attempt of [
      () => messaging.listMessages({ messageGroupUuid, cursor: 'garbage' }),
      () => messaging.listMessages({ messageGroupUuid, cursor: tampered }),
      () => messaging.listMessages({ messageGroupUuid: otherGroup.messageGroupUuid, cursor }),
      () => messaging.listMessageGroups({ userUuid: alice.uuid, cursor })
    ]) {
      const error = await attempt().catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).issues[0]?.code).toBe('cursor_invalid')
    }
  })

  it('writes items well under the 400 KB limit even at the longest message', async () => {
    const messageGroupUuid = messageGroupUuidFor(alice.uuid, bob.uuid)
    const longest = '😀'.repeat(1024)
    const sent = await messaging.createMessage({ messageGroupUuid, sender: alice, message: longest })
    await messaging.updateMessageGroups(sent)
    const items = await scanAll(client, tableName)
    const largest = Math.max(...items.map((item) => Buffer.byteLength(JSON.stringify(item))))
    expect(largest).toBeLessThan(8 * 1024)
  })
})

describe('two tables in one process', () => {
  it('keeps their data apart without touching globals', async () => {
    const otherTable = await createTestTable(client, 'other')
    try {
      const other = createMessaging({ client, tableName: otherTable })
      const [dan, erin] = [user('dan'), user('erin')]
      const started = await other.createMessageGroup({ sender: dan, recipient: erin, message: 'only here' })
      expect((await other.listMessages({ messageGroupUuid: started.messageGroupUuid })).items).toHaveLength(1)
      expect((await messaging.listMessages({ messageGroupUuid: started.messageGroupUuid })).items).toHaveLength(0)
      expect((await messaging.listMessageGroups({ userUuid: dan.uuid })).items).toHaveLength(0)
    } finally {
      await dropTestTable(client, otherTable)
    }
  })
})
