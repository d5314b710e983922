import { describe, expect, it } from 'vitest'
import { decodeTime, encodeTime, ulid } from 'ulid'
import {
  MessageIdConflictError,
  NotAMemberError,
  createMessaging,
  messageGroupUuidFor,
  type CreateMessageGroupResult
} from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { conversationOf, rowsOf } from '../support/layout.js'
import { validationCodesWithoutWrites } from '../support/rejections.js'

// Idempotent sends with a client-chosen message id (a ULID), against DynamoDB Local: a retry stores nothing new and
// answers as the first attempt did; the id reused for another message is a typed error; bad ids write nothing.
const { client, tableName } = await testTable('idempotent')
const messaging = createMessaging({ client, tableName })

/** A ULID holding `ms`, as a client would make it (`ulid()` is the usual way; this one pins the time). */
const idAt = (ms: number) => `${encodeTime(ms, 10)}${ulid().slice(10)}`

/** The stored messages of a conversation (its conversation and membership items left out). */
async function storedMessages(messageGroupUuid: string) {
  return (await conversationOf(client, tableName, messageGroupUuid)).messages
}

async function conversation() {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  return { alice, bob, messageGroupUuid }
}

describe('createMessage with a messageId', () => {
  it('keys the message by the id and its time, and a retry answers with the stored message, storing nothing new', async () => {
    const { bob, messageGroupUuid } = await conversation()
    const messageId = ulid()
    const first = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'once', messageId })
    expect(first.createdAt).toBe(new Date(decodeTime(messageId)).toISOString())
    expect(first.sortKey).toBe(`${first.createdAt}#${messageId}`)
    const before = await scanAll(client, tableName)
    // The same message again, the id in lower case and the text padded (both normalise to the stored ones).
    const retry = await messaging.createMessage({ messageGroupUuid, sender: bob, message: ' once\n', messageId: messageId.toLowerCase() })
    expect(retry).toEqual(first)
    expect(await scanAll(client, tableName)).toEqual(before)
    expect((await storedMessages(messageGroupUuid)).map((item) => item.message).sort()).toEqual(['hi', 'once'])
  })

  it('answers with the stored sender name even when it changed between attempts (the sender is the same person)', async () => {
    const { bob, messageGroupUuid } = await conversation()
    const messageId = ulid()
    const first = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'named', messageId })
    const retry = await messaging.createMessage({ messageGroupUuid, sender: { ...bob, displayName: 'Robert' }, message: 'named', messageId })
    expect(retry).toEqual(first)
    expect(retry.displayName).toBe('Bob')
  })

  it('stores one message when many identical retries race, and answers each with it', async () => {
    const { alice, messageGroupUuid } = await conversation()
    const messageId = ulid()
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => messaging.createMessage({ messageGroupUuid, sender: alice, message: 'raced', messageId }))
    )
    const stored = (await storedMessages(messageGroupUuid)).filter((item) => item.message === 'raced')
    expect(stored).toHaveLength(1)
    for (const answer of answers) expect(answer).toEqual(answers[0])
    expect(answers[0]!.uuid).toBe(stored[0]!.message_uuid)
  })

  it('refuses the id reused with other text or by the other participant: MessageIdConflictError, nothing written', async () => {
    const { alice, bob, messageGroupUuid } = await conversation()
    const messageId = ulid()
    await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'original', messageId })
    const before = await scanAll(client, tableName)
    for (const attempt of [
      { sender: bob, message: 'edited' },
      { sender: alice, message: 'original' }
    ]) {
      const error = await messaging.createMessage({ messageGroupUuid, ...attempt, messageId }).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(MessageIdConflictError)
      expect(error).toMatchObject({ code: 'MESSAGE_ID_CONFLICT', messageGroupUuid, messageId })
    }
    expect(await scanAll(client, tableName)).toEqual(before)
  })

  it('tells a stranger nothing about an id: NotAMemberError, as for any send', async () => {
    const { bob, messageGroupUuid } = await conversation()
    const messageId = ulid()
    await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'private', messageId })
    await expect(messaging.createMessage({ messageGroupUuid, sender: user('eve'), message: 'private', messageId })).rejects.toBeInstanceOf(NotAMemberError)
  })

  it('rejects an id that is not a ULID or is dated ahead, with every other issue, and writes nothing', async () => {
    const { bob, messageGroupUuid } = await conversation()
    const send = (messageId: unknown, message = 'x') => () =>
      messaging.createMessage({ messageGroupUuid, sender: bob, message, messageId: messageId as string })
    expect(await validationCodesWithoutWrites(client, tableName, send('not-a-ulid'))).toEqual(['message_id_invalid'])
    expect(await validationCodesWithoutWrites(client, tableName, send(42, ' '))).toEqual(['message_blank', 'message_id_invalid'])
    expect(await validationCodesWithoutWrites(client, tableName, send(idAt(Date.now() + 10 * 60_000)))).toEqual(['message_id_in_future'])
  })

  it('stores no new message with an id older than 5 minutes, but still answers a retry of one stored in time', async () => {
    const { bob, messageGroupUuid } = await conversation()
    const sentAt = Date.now()
    const messageId = idAt(sentAt)
    const first = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'in time', messageId })
    const later = createMessaging({ client, tableName, now: () => new Date(sentAt + 10 * 60_000) })
    expect(await later.createMessage({ messageGroupUuid, sender: bob, message: 'in time', messageId })).toEqual(first)
    await expect(later.createMessage({ messageGroupUuid, sender: bob, message: 'changed', messageId })).rejects.toBeInstanceOf(MessageIdConflictError)
    const stale = () => later.createMessage({ messageGroupUuid, sender: bob, message: 'too late', messageId: idAt(sentAt - 1) })
    expect(await validationCodesWithoutWrites(client, tableName, stale)).toEqual(['message_id_expired'])
  })

  it('leaves sends without an id as they were: a new message each time', async () => {
    const { bob, messageGroupUuid } = await conversation()
    const [a, b] = [
      await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'same' }),
      await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'same' })
    ]
    expect(a.sortKey).not.toBe(b.sortKey)
    expect((await storedMessages(messageGroupUuid)).filter((item) => item.message === 'same')).toHaveLength(2)
  })
})

describe('a message dated by its id, stored after newer ones (a late retry inside the window)', () => {
  it('lands in its place in the history; Pattern D keeps the rows at the newest message, counts exact', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const fourMinutesAgo = createMessaging({ client, tableName, now: () => new Date(Date.now() - 4 * 60_000) })
    const { messageGroupUuid } = await fourMinutesAgo.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
    await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
    const newer = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'newer' })
    await messaging.updateMessageGroups(newer)
    // Composed two minutes ago, stored only now (its first attempts failed); bob has not read anything since 'hi'.
    const late = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'late', messageId: idAt(Date.parse(newer.createdAt) - 2 * 60_000) })
    expect(late.sortKey < newer.sortKey).toBe(true)
    await messaging.updateMessageGroups(late)
    const page = await messaging.listMessages({ messageGroupUuid })
    expect(page.items.map((m) => m.message)).toEqual(['newer', 'late', 'hi'])
    const [bobsRow] = (await messaging.listMessageGroups({ userUuid: bob.uuid })).items
    const [alicesRow] = (await messaging.listMessageGroups({ userUuid: alice.uuid })).items
    // Never backwards: both rows stay at 'newer'. Bob's count takes the late message in: 'newer' and 'late' unread.
    expect([bobsRow?.lastMessage, alicesRow?.lastMessage]).toEqual(['newer', 'newer'])
    expect(bobsRow?.unreadCount).toBe(2)
  })
})

describe('createMessageGroup with a messageId', () => {
  /** Everything stored for the pair: conversation items, memberships, messages, conversation rows. */
  async function storedFor(a: { uuid: string }, b: { uuid: string }) {
    const { conversation, members, messages } = await conversationOf(client, tableName, messageGroupUuidFor(a.uuid, b.uuid))
    const rows = [...(await rowsOf(client, tableName, a.uuid)), ...(await rowsOf(client, tableName, b.uuid))]
    return { conversations: conversation ? 1 : 0, members: members.length, messages: messages.length, rows: rows.length }
  }

  it('a retry of the start answers as the first did (created: true), storing nothing new', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const messageId = ulid()
    const first = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob!', messageId })
    expect(first.created).toBe(true)
    const before = await scanAll(client, tableName)
    const retry = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob!', messageId })
    expect(retry).toEqual(first)
    expect(await scanAll(client, tableName)).toEqual(before)
    expect(await storedFor(alice, bob)).toEqual({ conversations: 1, members: 2, messages: 1, rows: 2 })
  })

  it('a retry of the start after the 5-minute window is still answered as the first (created: true)', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const sentAt = Date.now()
    const messageId = idAt(sentAt)
    const first = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'long ago', messageId })
    const later = createMessaging({ client, tableName, now: () => new Date(sentAt + 60 * 60_000) })
    const before = await scanAll(client, tableName)
    expect(await later.createMessageGroup({ sender: alice, recipient: bob, message: 'long ago', messageId })).toEqual(first)
    expect(await scanAll(client, tableName)).toEqual(before)
  })

  it('identical starts racing store one conversation and one message, and all answer created: true', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const messageId = ulid()
    const answers: CreateMessageGroupResult[] = await Promise.all(
      Array.from({ length: 6 }, () => messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'race', messageId }))
    )
    for (const answer of answers) expect(answer).toEqual({ ...answers[0], created: true })
    expect(await storedFor(alice, bob)).toEqual({ conversations: 1, members: 2, messages: 1, rows: 2 })
  })

  it('a retry of a message added to an existing conversation answers created: false, like the first', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'first' })
    const messageId = ulid()
    const first = await messaging.createMessageGroup({ sender: bob, recipient: alice, message: 'again', messageId })
    const retry = await messaging.createMessageGroup({ sender: bob, recipient: alice, message: 'again', messageId })
    expect(first.created).toBe(false)
    expect(retry).toEqual(first)
    expect(await storedFor(alice, bob)).toEqual({ conversations: 1, members: 2, messages: 2, rows: 2 })
  })

  it('the id reused for another text is a conflict; a stale id starts nothing; a bad one writes nothing', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const messageId = ulid()
    await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'one', messageId })
    const before = await scanAll(client, tableName)
    await expect(messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'two', messageId })).rejects.toBeInstanceOf(
      MessageIdConflictError
    )
    expect(await scanAll(client, tableName)).toEqual(before)
    const [carol, dave] = [user('carol'), user('dave')]
    const start = (id: string) => () => messaging.createMessageGroup({ sender: carol, recipient: dave, message: 'hi', messageId: id })
    expect(await validationCodesWithoutWrites(client, tableName, start(idAt(Date.now() - 6 * 60_000)))).toEqual(['message_id_expired'])
    expect(await validationCodesWithoutWrites(client, tableName, start('01KAR1Z1X8Y3VQ7D0N4W6TJ2HU'))).toEqual(['message_id_invalid'])
  })
})
