import { describe, expect, it } from 'vitest'
import { ulid } from 'ulid'
import {
  createMessaging,
  createStreamHandler,
  ForbiddenError,
  NotAMemberError,
  ValidationError,
  type AppliedConversation,
  type GroupMessageGroup,
  type Message,
  type MessagingClient,
  type Participant
} from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { faultyClient } from '../support/faults.js'
import { conversationOf, rowOf, rowsOf } from '../support/layout.js'
import { validationCodesWithoutWrites } from '../support/rejections.js'
import { insertRecordOf } from '../support/streamRecords.js'

// Groups against DynamoDB Local, through the real stream handler: who may do what, what every member's row shows,
// and that a rejected call writes nothing.
const { client: admin, tableName } = await testTable('groups')
let tick = Date.parse('2026-03-01T09:00:00.000Z')
// A clock that moves a second per call, so who joined first is never a tie.
const messaging = createMessaging({ client: admin, tableName, now: () => new Date((tick += 1000)) })
const applied: AppliedConversation[] = []
const handler = createStreamHandler({ client: admin, tableName, baseDelayMs: 1, onApplied: (event) => void applied.push(event) })
let sequence = 1
/** Delivers the messages' INSERT records in one batch, as the stream would, and expects no failure. */
async function stream(...messages: Message[]): Promise<void> {
  expect(await handler({ Records: messages.map((message) => insertRecordOf(message, sequence++)) })).toEqual({ batchItemFailures: [] })
}

const keyOf = (item: Record<string, unknown>) => `${String(item.pk)} ${String(item.sk)}`
const sorted = (items: Record<string, unknown>[]) => items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1))
/** Expects `run` to reject with `type` and the table to hold exactly what it held before. */
async function rejectsWithoutWrites(type: new (...args: never[]) => Error, run: () => Promise<unknown>): Promise<void> {
  const before = sorted(await scanAll(admin, tableName))
  await expect(run()).rejects.toBeInstanceOf(type)
  expect(sorted(await scanAll(admin, tableName))).toEqual(before)
}

/** The group's item of a user's Pattern B list, narrowed; undefined when they do not list it. */
async function listed(client: MessagingClient, userUuid: string, messageGroupUuid: string): Promise<GroupMessageGroup | undefined> {
  const found = (await client.listMessageGroups({ userUuid })).items.find((item) => item.messageGroupUuid === messageGroupUuid)
  if (found && found.kind !== 'group') throw new Error('listed as a direct conversation')
  return found
}
const unread = async (who: Participant) => messaging.countUnread({ userUuid: who.uuid })

async function group(members: Participant[], message?: string) {
  const [creator, ...others] = members
  const result = await messaging.createGroup({ creator: creator!, members: others, title: 'Launch', ...(message !== undefined && { message }) })
  return result
}

describe('createGroup', () => {
  it('makes the creator owner and lists the group at once for every member, with its first message unread for the others', async () => {
    const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
    const { messageGroupUuid, created, memberCount, message } = await group([ada, ben, cleo], 'Welcome!')
    expect({ created, memberCount, text: message?.message }).toEqual({ created: true, memberCount: 3, text: 'Welcome!' })
    for (const [who, count] of [[ada, 0], [ben, 1], [cleo, 1]] as const) {
      expect(await listed(messaging, who.uuid, messageGroupUuid)).toMatchObject({
        kind: 'group',
        title: 'Launch',
        memberCount: 3,
        lastMessage: 'Welcome!',
        lastSenderUuid: ada.uuid,
        lastSenderHandle: 'ada',
        lastSenderDisplayName: 'Ada',
        unreadCount: count
      })
    }
    const members = await messaging.listMembers({ messageGroupUuid, viewerUuid: ben.uuid })
    expect(members.items.map(({ userUuid, role }) => [userUuid, role]).sort()).toEqual([[ada.uuid, 'owner'], [ben.uuid, 'member'], [cleo.uuid, 'member']].sort())
    expect(members.items.find((member) => member.userUuid === ada.uuid)?.lastReadSortKey).toBe(message!.sortKey)
    expect(members.items.find((member) => member.userUuid === ben.uuid)?.lastReadSortKey).toBeUndefined()
    // The first message's stream record finds the rows current: counts stay exact, nothing is counted twice.
    await stream(message!)
    expect((await listed(messaging, ben.uuid, messageGroupUuid))?.unreadCount).toBe(1)
    expect((await conversationOf(admin, tableName, messageGroupUuid)).conversation).toMatchObject({ kind: 'group', title: 'Launch', member_count: 3, created_by: ada.uuid })
  })

  it('without a message lists the group with no last message, nothing unread', async () => {
    const [ada, ben] = [user('ada'), user('ben')]
    const { messageGroupUuid } = await group([ada, ben])
    const item = await listed(messaging, ben.uuid, messageGroupUuid)
    expect(item).toMatchObject({ kind: 'group', title: 'Launch', memberCount: 2, unreadCount: 0 })
    expect(item?.lastMessage).toBeUndefined()
    expect(item?.lastSenderUuid).toBeUndefined()
    expect(await messaging.listMessages({ messageGroupUuid, viewerUuid: ben.uuid })).toEqual({ items: [] })
  })

  it('refuses bad input with a ValidationError and writes nothing', async () => {
    const [ada, ben] = [user('ada'), user('ben')]
    const codes = (input: Record<string, unknown>) =>
      validationCodesWithoutWrites(admin, tableName, () => messaging.createGroup({ creator: ada, members: [ben], title: 'Launch', ...input } as never))
    expect(await codes({ members: [] })).toEqual(['members_invalid'])
    expect(await codes({ members: [ben, ada] })).toEqual(['members_duplicate'])
    expect(await codes({ members: [ben, { ...ben }] })).toEqual(['members_duplicate'])
    expect(await codes({ members: Array.from({ length: 1000 }, (_, i) => user(`m${i}`)) })).toEqual(['members_too_many'])
    expect(await codes({ title: '' })).toEqual(['title_blank'])
    expect(await codes({ title: '  \n ' })).toEqual(['title_blank'])
    expect(await codes({ title: 'x'.repeat(101) })).toEqual(['title_exceed_max_chars_100'])
    expect(await codes({ title: 'bad\u0007bell' })).toEqual(['title_invalid'])
    expect(await codes({ title: 42 })).toEqual(['title_blank'])
    expect(await codes({ message: '' })).toEqual(['message_blank'])
  })

  it('takes a title of exactly 100 characters, trimmed, and counts characters not bytes', async () => {
    const [ada, ben] = [user('ada'), user('ben')]
    const title = '🚀'.repeat(100)
    const { messageGroupUuid } = await messaging.createGroup({ creator: ada, members: [ben], title: `  ${title}\n` })
    expect((await listed(messaging, ben.uuid, messageGroupUuid))?.title).toBe(title)
  })

  it('with a messageId, a retry after a failure part of the way continues the same group', async () => {
    const faults = faultyClient()
    const failing = createMessaging({ client: faults.client, tableName })
    const creator = user('ada')
    const others = Array.from({ length: 60 }, (_, i) => user(`member${i}`)) // two transactions: 49 and 11 members
    let transactions = 0
    faults.rule = (name) => (name === 'TransactWriteItemsCommand' && ++transactions === 2 ? { fail: new Error('connection reset') } : undefined)
    const messageId = ulid()
    const input = { creator, members: others, title: 'Big', message: 'first', messageId }
    await expect(failing.createGroup(input)).rejects.toThrow('connection reset')
    const onTime = createMessaging({ client: admin, tableName }) // the id holds the real time
    const retry = await onTime.createGroup(input)
    expect(retry).toMatchObject({ created: false, memberCount: 61 })
    const stored = await conversationOf(admin, tableName, retry.messageGroupUuid)
    expect(stored.members).toEqual([creator, ...others].map((member) => member.uuid).sort())
    expect(stored.conversation?.member_count).toBe(61)
    expect(stored.messages.map((item) => item.message)).toEqual(['first'])
    for (const member of others) expect((await rowOf(admin, tableName, member.uuid, retry.messageGroupUuid))?.unread_count).toBe(1)
    // A second retry changes nothing.
    const again = await onTime.createGroup(input)
    expect(again.messageGroupUuid).toBe(retry.messageGroupUuid)
    expect((await conversationOf(admin, tableName, retry.messageGroupUuid)).conversation?.member_count).toBe(61)
  })
})

describe('messages in a group, through the stream handler', () => {
  it('keeps exact unread counts per member: own messages never count, sending marks read', async () => {
    const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
    const { messageGroupUuid, message: welcome } = await group([ada, ben, cleo], 'Welcome!')
    await stream(welcome!)
    const fromBen = await messaging.createMessage({ messageGroupUuid, sender: ben, message: 'hi all' })
    await stream(fromBen)
    const counts = async () => Promise.all([ada, ben, cleo].map(async (who) => (await listed(messaging, who.uuid, messageGroupUuid))?.unreadCount))
    expect(await counts()).toEqual([1, 0, 2])
    expect(await unread(cleo)).toEqual({ conversations: 1, messages: 2 })
    expect(await unread(ben)).toEqual({ conversations: 0, messages: 0 })
    // Two messages in one batch, from two senders.
    const fromAda = await messaging.createMessage({ messageGroupUuid, sender: ada, message: 'hello' })
    const fromCleo = await messaging.createMessage({ messageGroupUuid, sender: cleo, message: 'hey' })
    applied.length = 0
    await stream(fromAda, fromCleo)
    expect(await counts()).toEqual([1, 2, 0])
    // onApplied tells of every member's count as the rows now say.
    expect(applied).toHaveLength(1)
    const told = Object.fromEntries(applied[0]!.participants.map((p) => [p.userUuid, p.unreadCount]))
    expect(told).toEqual({ [ada.uuid]: 1, [ben.uuid]: 2, [cleo.uuid]: 0 })
    expect(applied[0]!.message.sortKey).toBe(fromCleo.sortKey)
    expect(await listed(messaging, ben.uuid, messageGroupUuid)).toMatchObject({ lastMessage: 'hey', lastSenderUuid: cleo.uuid, lastSenderHandle: 'cleo' })
    expect(await messaging.markRead({ messageGroupUuid, userUuid: ben.uuid })).toMatchObject({ changed: true, unreadCount: 0, lastReadSortKey: fromCleo.sortKey })
    expect(await unread(ben)).toEqual({ conversations: 0, messages: 0 })
    expect(await unread(ada)).toEqual({ conversations: 1, messages: 1 })
    const seen = await messaging.listMembers({ messageGroupUuid, viewerUuid: ada.uuid })
    expect(Object.fromEntries(seen.items.map((member) => [member.handle, member.lastReadSortKey]))).toEqual({
      ada: fromAda.sortKey,
      ben: fromCleo.sortKey,
      cleo: fromCleo.sortKey
    })
    const history = await messaging.listMessages({ messageGroupUuid, viewerUuid: cleo.uuid })
    expect(history.items.map((item) => item.message)).toEqual(['hey', 'hello', 'hi all', 'Welcome!'])
  })

  it('marking read keeps who sent the last message on the member\'s list', async () => {
    const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
    const { messageGroupUuid, message } = await group([ada, ben, cleo], 'Standup at ten')
    await stream(message!)
    const before = await listed(messaging, ben.uuid, messageGroupUuid)
    expect(before).toMatchObject({ unreadCount: 1, lastMessage: 'Standup at ten', lastSenderUuid: ada.uuid, lastSenderHandle: 'ada' })
    expect(await messaging.markRead({ messageGroupUuid, userUuid: ben.uuid })).toMatchObject({ changed: true, unreadCount: 0 })
    expect(await listed(messaging, ben.uuid, messageGroupUuid)).toEqual({ ...before, unreadCount: 0, lastReadAt: expect.any(String), lastReadSortKey: message!.sortKey })
  })

  it('a member added later reads the history, lists the group at once with nothing unread, and counts what follows', async () => {
    const [ada, ben, dana] = [user('ada'), user('ben'), user('dana')]
    const { messageGroupUuid, message: welcome } = await group([ada, ben], 'Welcome!')
    const reply = await messaging.createMessage({ messageGroupUuid, sender: ben, message: 'thanks' })
    await stream(welcome!, reply)
    expect(await messaging.addMembers({ messageGroupUuid, by: ada.uuid, members: [dana] })).toEqual({ added: [dana] })
    expect(await listed(messaging, dana.uuid, messageGroupUuid)).toMatchObject({
      memberCount: 3,
      unreadCount: 0,
      lastMessage: 'thanks',
      lastSenderUuid: ben.uuid,
      lastReadSortKey: reply.sortKey
    })
    expect(await unread(dana)).toEqual({ conversations: 0, messages: 0 })
    expect((await messaging.listMessages({ messageGroupUuid, viewerUuid: dana.uuid })).items.map((m) => m.message)).toEqual(['thanks', 'Welcome!'])
    expect((await listed(messaging, ada.uuid, messageGroupUuid))?.memberCount).toBe(3)
    // A late redelivery of the older records changes nothing for her.
    await stream(welcome!, reply)
    expect((await listed(messaging, dana.uuid, messageGroupUuid))?.unreadCount).toBe(0)
    const next = await messaging.createMessage({ messageGroupUuid, sender: ben, message: 'welcome dana' })
    await stream(next)
    expect(await unread(dana)).toEqual({ conversations: 1, messages: 1 })
    // Adding someone already there changes nothing.
    expect(await messaging.addMembers({ messageGroupUuid, by: ada.uuid, members: [dana, ben] })).toEqual({ added: [] })
    expect((await conversationOf(admin, tableName, messageGroupUuid)).conversation?.member_count).toBe(3)
  })

  it('a removed member can no longer read, post or mark read, no longer lists the group, and a late record gives no row back', async () => {
    const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
    const { messageGroupUuid, message: welcome } = await group([ada, ben, cleo], 'Welcome!')
    const before = await messaging.createMessage({ messageGroupUuid, sender: cleo, message: 'bye soon' })
    expect(await messaging.removeMember({ messageGroupUuid, by: ada.uuid, userUuid: cleo.uuid })).toEqual({ removed: true })
    for (const attempt of [
      () => messaging.listMessages({ messageGroupUuid, viewerUuid: cleo.uuid }),
      () => messaging.createMessage({ messageGroupUuid, sender: cleo, message: 'let me in' }),
      () => messaging.markRead({ messageGroupUuid, userUuid: cleo.uuid }),
      () => messaging.listMembers({ messageGroupUuid, viewerUuid: cleo.uuid })
    ]) {
      await rejectsWithoutWrites(NotAMemberError, attempt)
    }
    expect(await listed(messaging, cleo.uuid, messageGroupUuid)).toBeUndefined()
    const after = await messaging.createMessage({ messageGroupUuid, sender: ben, message: 'she left' })
    await stream(welcome!, before, after)
    expect(await rowOf(admin, tableName, cleo.uuid, messageGroupUuid)).toBeUndefined()
    expect(await rowsOf(admin, tableName, cleo.uuid)).toEqual([])
    expect(await unread(cleo)).toEqual({ conversations: 0, messages: 0 })
    expect(await listed(messaging, ada.uuid, messageGroupUuid)).toMatchObject({ memberCount: 2, unreadCount: 2, lastMessage: 'she left' })
    // Removing someone who is not a member any more: nothing to do.
    expect(await messaging.removeMember({ messageGroupUuid, by: ada.uuid, userUuid: cleo.uuid })).toEqual({ removed: false })
    expect((await conversationOf(admin, tableName, messageGroupUuid)).conversation?.member_count).toBe(2)
  })

  it('a member who leaves is gone the same way', async () => {
    const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
    const { messageGroupUuid } = await group([ada, ben, cleo], 'Welcome!')
    expect(await messaging.removeMember({ messageGroupUuid, by: ben.uuid, userUuid: ben.uuid })).toEqual({ removed: true })
    expect(await listed(messaging, ben.uuid, messageGroupUuid)).toBeUndefined()
    await expect(messaging.createMessage({ messageGroupUuid, sender: ben, message: 'back?' })).rejects.toBeInstanceOf(NotAMemberError)
    expect((await conversationOf(admin, tableName, messageGroupUuid)).members).toEqual([ada.uuid, cleo.uuid].sort())
  })
})

describe('roles', () => {
  it('lets the owner and admins add, remove and rename; only the owner makes admins', async () => {
    const [ada, ben, cleo, dana, eli] = [user('ada'), user('ben'), user('cleo'), user('dana'), user('eli')]
    const { messageGroupUuid } = await group([ada, ben, cleo], 'Welcome!')
    expect(await messaging.setMemberRole({ messageGroupUuid, by: ada.uuid, userUuid: ben.uuid, role: 'admin' })).toEqual({ role: 'admin' })
    expect(await messaging.addMembers({ messageGroupUuid, by: ben.uuid, members: [dana, eli] })).toEqual({ added: [dana, eli] })
    expect(await messaging.renameGroup({ messageGroupUuid, by: ben.uuid, title: 'Launch, week 2' })).toEqual({ title: 'Launch, week 2' })
    expect(await messaging.removeMember({ messageGroupUuid, by: ben.uuid, userUuid: eli.uuid })).toEqual({ removed: true })
    for (const who of [ada, ben, cleo, dana]) expect(await listed(messaging, who.uuid, messageGroupUuid)).toMatchObject({ title: 'Launch, week 2', memberCount: 4 })
    // An admin may not remove the owner or another admin, nor make admins.
    await messaging.setMemberRole({ messageGroupUuid, by: ada.uuid, userUuid: cleo.uuid, role: 'admin' })
    await rejectsWithoutWrites(ForbiddenError, () => messaging.removeMember({ messageGroupUuid, by: ben.uuid, userUuid: ada.uuid }))
    await rejectsWithoutWrites(ForbiddenError, () => messaging.removeMember({ messageGroupUuid, by: ben.uuid, userUuid: cleo.uuid }))
    await rejectsWithoutWrites(ForbiddenError, () => messaging.setMemberRole({ messageGroupUuid, by: ben.uuid, userUuid: dana.uuid, role: 'admin' }))
    // The owner removes an admin; unmakes one; may not change their own role.
    expect(await messaging.removeMember({ messageGroupUuid, by: ada.uuid, userUuid: cleo.uuid })).toEqual({ removed: true })
    expect(await messaging.setMemberRole({ messageGroupUuid, by: ada.uuid, userUuid: ben.uuid, role: 'member' })).toEqual({ role: 'member' })
    await rejectsWithoutWrites(ForbiddenError, () => messaging.setMemberRole({ messageGroupUuid, by: ada.uuid, userUuid: ada.uuid, role: 'member' }))
    await rejectsWithoutWrites(NotAMemberError, () => messaging.setMemberRole({ messageGroupUuid, by: ada.uuid, userUuid: eli.uuid, role: 'admin' }))
    const roles = (await messaging.listMembers({ messageGroupUuid, viewerUuid: dana.uuid })).items.map(({ handle, role }) => [handle, role])
    expect(roles.sort()).toEqual([['ada', 'owner'], ['ben', 'member'], ['dana', 'member']])
  })

  it('refuses a plain member with ForbiddenError on every operation, writing nothing', async () => {
    const [ada, ben, cleo, dana] = [user('ada'), user('ben'), user('cleo'), user('dana')]
    const { messageGroupUuid } = await group([ada, ben, cleo], 'Welcome!')
    const attempts = [
      () => messaging.addMembers({ messageGroupUuid, by: ben.uuid, members: [dana] }),
      () => messaging.removeMember({ messageGroupUuid, by: ben.uuid, userUuid: cleo.uuid }),
      () => messaging.removeMember({ messageGroupUuid, by: ben.uuid, userUuid: ada.uuid }),
      () => messaging.renameGroup({ messageGroupUuid, by: ben.uuid, title: 'Mine now' }),
      () => messaging.setMemberRole({ messageGroupUuid, by: ben.uuid, userUuid: ben.uuid, role: 'admin' }),
      () => messaging.setMemberRole({ messageGroupUuid, by: ben.uuid, userUuid: cleo.uuid, role: 'admin' })
    ]
    for (const attempt of attempts) await rejectsWithoutWrites(ForbiddenError, attempt)
    const error = await messaging.renameGroup({ messageGroupUuid, by: ben.uuid, title: 'x' }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'FORBIDDEN', messageGroupUuid, userUuid: ben.uuid })
  })

  it('answers a stranger NotAMemberError on every operation, writing nothing', async () => {
    const [ada, ben, eve] = [user('ada'), user('ben'), user('eve')]
    const { messageGroupUuid } = await group([ada, ben], 'Welcome!')
    const attempts = [
      () => messaging.addMembers({ messageGroupUuid, by: eve.uuid, members: [eve] }),
      () => messaging.removeMember({ messageGroupUuid, by: eve.uuid, userUuid: ben.uuid }),
      () => messaging.removeMember({ messageGroupUuid, by: eve.uuid, userUuid: eve.uuid }),
      () => messaging.renameGroup({ messageGroupUuid, by: eve.uuid, title: 'Mine' }),
      () => messaging.setMemberRole({ messageGroupUuid, by: eve.uuid, userUuid: ben.uuid, role: 'admin' }),
      () => messaging.listMembers({ messageGroupUuid, viewerUuid: eve.uuid }),
      () => messaging.listMessages({ messageGroupUuid, viewerUuid: eve.uuid }),
      () => messaging.createMessage({ messageGroupUuid, sender: eve, message: 'hi' }),
      () => messaging.markRead({ messageGroupUuid, userUuid: eve.uuid })
    ]
    for (const attempt of attempts) await rejectsWithoutWrites(NotAMemberError, attempt)
    // A group that does not exist answers the same.
    await rejectsWithoutWrites(NotAMemberError, () => messaging.renameGroup({ messageGroupUuid: ulidUuid(), by: ada.uuid, title: 'x' }))
  })

  it('refuses group operations on a direct conversation with a ValidationError', async () => {
    const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: ada, recipient: ben, message: 'hi' })
    const codes = await validationCodesWithoutWrites(admin, tableName, () => messaging.addMembers({ messageGroupUuid, by: ada.uuid, members: [cleo] }))
    expect(codes).toEqual(['message_group_uuid_not_a_group'])
  })

  it('hands ownership to the longest-standing admin when the owner leaves, else the longest-standing member', async () => {
    const [ada, ben, cleo, dana] = [user('ada'), user('ben'), user('cleo'), user('dana')]
    const { messageGroupUuid } = await group([ada, ben])
    await messaging.addMembers({ messageGroupUuid, by: ada.uuid, members: [cleo] })
    await messaging.addMembers({ messageGroupUuid, by: ada.uuid, members: [dana] })
    await messaging.setMemberRole({ messageGroupUuid, by: ada.uuid, userUuid: dana.uuid, role: 'admin' })
    await messaging.setMemberRole({ messageGroupUuid, by: ada.uuid, userUuid: cleo.uuid, role: 'admin' })
    // Two admins: cleo joined before dana.
    expect(await messaging.removeMember({ messageGroupUuid, by: ada.uuid, userUuid: ada.uuid })).toEqual({ removed: true, newOwnerUuid: cleo.uuid })
    expect(await messaging.removeMember({ messageGroupUuid, by: cleo.uuid, userUuid: cleo.uuid })).toEqual({ removed: true, newOwnerUuid: dana.uuid })
    await messaging.setMemberRole({ messageGroupUuid, by: dana.uuid, userUuid: ben.uuid, role: 'member' })
    // No admin left: the longest-standing member.
    expect(await messaging.removeMember({ messageGroupUuid, by: dana.uuid, userUuid: dana.uuid })).toEqual({ removed: true, newOwnerUuid: ben.uuid })
    const roles = (await messaging.listMembers({ messageGroupUuid, viewerUuid: ben.uuid })).items.map(({ handle, role }) => [handle, role])
    expect(roles).toEqual([['ben', 'owner']])
    // The last member leaving leaves an empty group: nobody lists it.
    expect(await messaging.removeMember({ messageGroupUuid, by: ben.uuid, userUuid: ben.uuid })).toEqual({ removed: true })
    const stored = await conversationOf(admin, tableName, messageGroupUuid)
    expect({ members: stored.members, count: stored.conversation?.member_count }).toEqual({ members: [], count: 0 })
  })
})

describe('listMembers', () => {
  it('pages through every member once, each with role and read marker', async () => {
    const [ada, ...others] = [user('ada'), ...Array.from({ length: 24 }, (_, i) => user(`member${i}`))]
    const { messageGroupUuid, message } = await messaging.createGroup({ creator: ada, members: others, title: 'Many', message: 'hello' })
    await messaging.markRead({ messageGroupUuid, userUuid: others[3]!.uuid })
    const seen: Array<{ userUuid: string; role: string; lastReadSortKey?: string }> = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await messaging.listMembers({ messageGroupUuid, viewerUuid: others[0]!.uuid, limit: 10, ...(cursor && { cursor }) })
      expect(page.items.length).toBeLessThanOrEqual(10)
      seen.push(...page.items)
      cursor = page.cursor
      pages++
    } while (cursor)
    expect(pages).toBeGreaterThanOrEqual(3)
    expect(seen.map((member) => member.userUuid).sort()).toEqual([ada, ...others].map((member) => member.uuid).sort())
    const marker = (who: Participant) => seen.find((member) => member.userUuid === who.uuid)?.lastReadSortKey
    expect([marker(ada), marker(others[3]!), marker(others[4]!)]).toEqual([message!.sortKey, message!.sortKey, undefined])
    await expect(messaging.listMembers({ messageGroupUuid: ulidUuid(), viewerUuid: ada.uuid, cursor: 'garbage' })).rejects.toBeInstanceOf(ValidationError)
  })
})

describe('renameGroup', () => {
  it('refuses a bad title and writes nothing', async () => {
    const [ada, ben] = [user('ada'), user('ben')]
    const { messageGroupUuid } = await group([ada, ben])
    const codes = (title: unknown) => validationCodesWithoutWrites(admin, tableName, () => messaging.renameGroup({ messageGroupUuid, by: ada.uuid, title } as never))
    expect(await codes('')).toEqual(['title_blank'])
    expect(await codes('y'.repeat(101))).toEqual(['title_exceed_max_chars_100'])
  })
})

/** A random v4 uuid no conversation has. */
function ulidUuid(): string {
  return crypto.randomUUID()
}
