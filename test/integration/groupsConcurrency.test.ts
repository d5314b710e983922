import { describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler, type Message, type Participant } from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { faultyClient } from '../support/faults.js'
import { conversationOf } from '../support/layout.js'
import { deliverLikeLambda, insertRecordOf } from '../support/streamRecords.js'

// Membership changes racing each other and the stream: once everything has settled, the member count is the number of
// membership items, and nobody has a row without a membership item or the reverse.
const { client: admin, tableName } = await testTable('groups-concurrency')
const messaging = createMessaging({ client: admin, tableName })
let sequence = 1
const record = (message: Message) => insertRecordOf(message, sequence++)
const people = (count: number, prefix: string): Participant[] => Array.from({ length: count }, (_, i) => user(`${prefix}${i}`))

/** What the table says of a group: its count, its members, and the owners of its rows. */
async function settled(messageGroupUuid: string) {
  const { conversation, members } = await conversationOf(admin, tableName, messageGroupUuid)
  const rowOwners = (await scanAll(admin, tableName))
    .filter((item) => item.sk === `MSG#${messageGroupUuid}` && String(item.pk).startsWith('GRP#'))
    .map((item) => String(item.pk).slice('GRP#'.length))
    .sort()
  return { count: conversation?.member_count, members, rowOwners }
}

describe('membership changes at once', () => {
  it('two admins adding at once, some of the same people: each added once, the count exact', async () => {
    const [owner, admin2, ...firstMembers] = people(4, 'a')
    const { messageGroupUuid } = await messaging.createGroup({ creator: owner!, members: [admin2!, ...firstMembers], title: 'Race' })
    await messaging.setMemberRole({ messageGroupUuid, by: owner!.uuid, userUuid: admin2!.uuid, role: 'admin' })
    const shared = people(30, 'shared')
    const [mine, theirs] = [people(40, 'mine'), people(40, 'theirs')]
    const [one, two] = await Promise.all([
      messaging.addMembers({ messageGroupUuid, by: owner!.uuid, members: [...mine, ...shared] }),
      messaging.addMembers({ messageGroupUuid, by: admin2!.uuid, members: [...shared, ...theirs] })
    ])
    const addedTwice = one.added.filter((member) => two.added.some((other) => other.uuid === member.uuid))
    expect(addedTwice).toEqual([])
    expect(one.added.length + two.added.length).toBe(110)
    const state = await settled(messageGroupUuid)
    expect(state.count).toBe(114)
    expect(state.members).toHaveLength(114)
    expect(state.rowOwners).toEqual(state.members)
  })

  it('a member leaving while a message fans out: no row without a membership, nor the reverse', async () => {
    const faults = faultyClient()
    const handler = createStreamHandler({ client: faults.client, tableName, baseDelayMs: 1 })
    const [owner, ...others] = people(30, 'l')
    const { messageGroupUuid } = await messaging.createGroup({ creator: owner!, members: others, title: 'Leaving' })
    const message = await messaging.createMessage({ messageGroupUuid, sender: owner!, message: 'news' })
    const leavers = others.slice(5, 10)
    const leaving: Array<Promise<unknown>> = []
    const started = new Set<Participant>()
    // Each leaver leaves while the handler is between reading the rows and writing theirs.
    faults.rule = (name, input) => {
      const pk = (input.Key as { pk?: string } | undefined)?.pk
      const leaver = leavers.find((member) => pk === `GRP#${member.uuid}`)
      if (name === 'UpdateItemCommand' && leaver && !started.has(leaver)) {
        started.add(leaver)
        const left = messaging.removeMember({ messageGroupUuid, by: leaver.uuid, userUuid: leaver.uuid })
        leaving.push(left)
        return left.then(() => undefined)
      }
      return undefined
    }
    await deliverLikeLambda(handler, [record(message)])
    await Promise.all(leaving)
    expect(leaving).toHaveLength(5)
    const state = await settled(messageGroupUuid)
    expect(state.members).toHaveLength(25)
    expect(state.count).toBe(25)
    expect(state.rowOwners).toEqual(state.members)
    // And a record delivered again afterwards gives none of them a row back.
    await deliverLikeLambda(handler, [record(message)])
    expect((await settled(messageGroupUuid)).rowOwners).toEqual(state.members)
  })

  it('members leaving and joining while messages fan out, all at once: the table settles consistent', async () => {
    const handler = createStreamHandler({ client: admin, tableName, baseDelayMs: 1 })
    const [owner, ...others] = people(20, 'c')
    const { messageGroupUuid } = await messaging.createGroup({ creator: owner!, members: others, title: 'Churn' })
    const joiners = people(10, 'j')
    const sends = others.slice(0, 5).map((sender, i) => messaging.createMessage({ messageGroupUuid, sender, message: `m${i}` }))
    const messages = await Promise.all(sends)
    await Promise.all([
      deliverLikeLambda(handler, messages.map(record)),
      ...others.slice(10, 15).map((member) => messaging.removeMember({ messageGroupUuid, by: owner!.uuid, userUuid: member.uuid })),
      messaging.addMembers({ messageGroupUuid, by: owner!.uuid, members: joiners })
    ])
    const state = await settled(messageGroupUuid)
    expect(state.members).toHaveLength(25)
    expect(state.count).toBe(25)
    expect(state.rowOwners).toEqual(state.members)
    // Joiners start with nothing unread of what was sent before they joined.
    const counts = await Promise.all(joiners.map(async (joiner) => (await messaging.countUnread({ userUuid: joiner.uuid })).messages))
    expect(counts.every((count) => count === 0)).toBe(true)
  })
})
