import { describe, expect, it } from 'vitest'
import {
  createMessaging,
  createStreamHandler,
  ValidationError,
  type Message,
  type Participant
} from '../../src/index.js'
import { engineClient, scanAll, testTable, user } from '../support/engine.js'
import { awsError, faultyClient, injectFaults } from '../support/faults.js'
import { conversationOf, rowsOf } from '../support/layout.js'
import { deliverLikeLambda, insertRecordOf } from '../support/streamRecords.js'

// A group at the limit: one message reaches all 1,000 members' rows through the stream handler, no request grows past
// DynamoDB's limits on the way, the 1,001st member is refused; throttled row updates fail their records, not the batch.
const { client: admin, tableName } = await testTable('groups-scale')

/** The largest request of each kind a client sent, in items: DynamoDB allows 100 per transaction or BatchGetItem, 25 per BatchWriteItem. */
const largest: Record<string, number> = {}
const observed = engineClient()
injectFaults(observed, (name, input) => {
  const requestItems = (input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] } | unknown[]>
  const size =
    name === 'TransactWriteItemsCommand' || name === 'TransactGetItemsCommand'
      ? (input.TransactItems as unknown[]).length
      : name === 'BatchGetItemCommand'
        ? Object.values(requestItems).reduce((total: number, entry) => total + ((entry as { Keys?: unknown[] }).Keys?.length ?? 0), 0)
        : name === 'BatchWriteItemCommand'
          ? Object.values(requestItems).reduce((total: number, entry) => total + (entry as unknown[]).length, 0)
          : 1
  largest[name] = Math.max(largest[name] ?? 0, size)
  return undefined
})
const messaging = createMessaging({ client: observed, tableName })
let sequence = 1
const record = (message: Message) => insertRecordOf(message, sequence++)
const people = (count: number, prefix: string): Participant[] => Array.from({ length: count }, (_, i) => user(`${prefix}${i}`))

describe('a group of 1,000 members', () => {
  it('is started in transactions of at most 100 items; one message reaches every row through the stream handler', { timeout: 240_000 }, async () => {
    const [owner, ...others] = people(1000, 'm')
    const { messageGroupUuid, memberCount } = await messaging.createGroup({ creator: owner!, members: others, title: 'Everyone' })
    expect(memberCount).toBe(1000)
    const stored = await conversationOf(admin, tableName, messageGroupUuid)
    expect(stored.members).toHaveLength(1000)
    expect(stored.conversation?.member_count).toBe(1000)

    const sender = others[500]!
    const message = await messaging.createMessage({ messageGroupUuid, sender, message: 'hello, all 999 of you' })
    const handler = createStreamHandler({ client: observed, tableName })
    expect(await handler({ Records: [record(message)] })).toEqual({ batchItemFailures: [] })

    const rows = (await scanAll(admin, tableName)).filter((item) => item.sk === `MSG#${messageGroupUuid}` && String(item.pk).startsWith('GRP#'))
    expect(rows).toHaveLength(1000)
    for (const row of rows) {
      const own = row.pk === `GRP#${sender.uuid}`
      expect(row).toMatchObject({ last_sk: message.sortKey, message: 'hello, all 999 of you', sender_uuid: sender.uuid, unread_count: own ? 0 : 1 })
    }
    expect(await messaging.countUnread({ userUuid: others[0]!.uuid })).toEqual({ conversations: 1, messages: 1 })
    // DynamoDB's limits: 100 items a transaction or BatchGetItem, 25 a BatchWriteItem.
    expect(largest.TransactWriteItemsCommand).toBeLessThanOrEqual(100)
    expect(largest.BatchGetItemCommand ?? 0).toBeLessThanOrEqual(100)
    expect(largest.BatchWriteItemCommand ?? 0).toBeLessThanOrEqual(25)

    // The 1,001st member: refused, nothing written.
    const before = await scanAll(admin, tableName)
    await expect(messaging.addMembers({ messageGroupUuid, by: owner!.uuid, members: [user('oneTooMany')] })).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [expect.objectContaining({ code: 'members_too_many' })]
    })
    expect(await scanAll(admin, tableName)).toEqual(before)
    // A member who leaves makes room for exactly one.
    await messaging.removeMember({ messageGroupUuid, by: others[1]!.uuid, userUuid: others[1]!.uuid })
    const late = user('late')
    expect(await messaging.addMembers({ messageGroupUuid, by: owner!.uuid, members: [late] })).toEqual({ added: [late] })
    await expect(messaging.addMembers({ messageGroupUuid, by: owner!.uuid, members: [user('another')] })).rejects.toBeInstanceOf(ValidationError)
    expect((await conversationOf(admin, tableName, messageGroupUuid)).conversation?.member_count).toBe(1000)
  })
})

describe('throttled row updates', () => {
  it('fail the records of that conversation only; delivered again, every row ends exact', async () => {
    const faults = faultyClient()
    const handler = createStreamHandler({ client: faults.client, tableName, baseDelayMs: 1 })
    const [owner, ...others] = people(40, 't')
    const { messageGroupUuid } = await messaging.createGroup({ creator: owner!, members: others, title: 'Busy' })
    const [ada, ben] = [user('ada'), user('ben')]
    const direct = await messaging.createMessageGroup({ sender: ada, recipient: ben, message: 'hi' })
    const first = await messaging.createMessage({ messageGroupUuid, sender: others[0]!, message: 'one' })
    const reply = await messaging.createMessage({ messageGroupUuid: direct.messageGroupUuid, sender: ben, message: 'hey' })
    const second = await messaging.createMessage({ messageGroupUuid, sender: others[1]!, message: 'two' })
    const throttled = new Set(others.slice(10, 15).map((member) => `GRP#${member.uuid}`))
    const hits = new Map<string, number>()
    faults.rule = (name, input) => {
      const pk = (input.Key as { pk?: string } | undefined)?.pk
      if (name !== 'UpdateItemCommand' || !pk || !throttled.has(pk)) return undefined
      hits.set(pk, (hits.get(pk) ?? 0) + 1)
      // Each throttled member's first two attempts: more than the first invocation retries.
      return hits.get(pk)! <= 2 ? { fail: awsError('ProvisionedThroughputExceededException', { $retryable: { throttling: true } }) } : undefined
    }
    const records = [record(first), record(reply), record(second)]
    const firstAnswer = await handler({ Records: records })
    expect(firstAnswer.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      records[0]!.dynamodb!.SequenceNumber,
      records[2]!.dynamodb!.SequenceNumber
    ])
    const invocations = await deliverLikeLambda(handler, records)
    expect(invocations).toBeGreaterThan(1)
    for (const member of [owner!, ...others]) {
      const [row] = await rowsOf(admin, tableName, member.uuid)
      const expected = member === others[1] ? 0 : member === others[0] ? 1 : 2
      expect(row).toMatchObject({ last_sk: second.sortKey, message: 'two', unread_count: expected })
    }
    expect((await rowsOf(admin, tableName, ada.uuid))[0]).toMatchObject({ last_sk: reply.sortKey, unread_count: 1 })
  })
})
