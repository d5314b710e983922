import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { ConcurrentUpdateError, createMessaging, rowKey, type Message, type MessagingClient } from '../../src/index.js'
import { engineClient, scanAll, testTable, user } from '../support/engine.js'
import { injectFaults, type FaultRule } from '../support/faults.js'
import { rowOf, rowView, settledRow } from '../support/layout.js'
import { validationCodesWithoutWrites } from '../support/rejections.js'
import { wireFaults } from '../support/wireFaults.js'

const { client: admin, tableName } = await testTable('pattern-d')
let rule: FaultRule = () => undefined
const calls: string[] = []
const faulty = engineClient({ maxAttempts: 1 }) // SDK retries off: each injected fault reaches the library
injectFaults(faulty, (name, input) => {
  calls.push(name)
  return rule(name, input)
})
afterAll(() => faulty.destroy())
// Faults on the wire go through the proxy; the mock above only fakes what the proxy cannot (a row changed at a chosen
// moment, a stale read).
const wire = await wireFaults()
beforeEach(() => {
  rule = () => undefined
  calls.length = 0
})

/** A conversation with `count` messages after the first (the stream's work left to the test); oldest first. */
async function conversation(messaging: MessagingClient, count: number) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message: first } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'm0' })
  const messages: Message[] = [first]
  for (let i = 1; i <= count; i++) {
    messages.push(await messaging.createMessage({ messageGroupUuid, sender: i % 2 ? bob : alice, message: `m${i}` }))
  }
  return { messageGroupUuid, alice, bob, messages }
}
const plain = (client = admin) => createMessaging({ client, tableName, updateSenderRow: false })

/** Each member's row at `upTo` (the newest message applied), read up to their own newest, the others' after it unread. */
async function expectRowsAt(group: Awaited<ReturnType<typeof conversation>>, upTo: Message) {
  const shown = group.messages.filter((m) => m.sortKey <= upTo.sortKey)
  for (const owner of [group.alice.uuid, group.bob.uuid]) {
    expect(rowView(await rowOf(admin, tableName, owner, group.messageGroupUuid))).toEqual(settledRow(shown, owner))
  }
}

/** Another writer changes `owner`'s row (a markRead, another Pattern D): its revision moves on. */
const touch = (owner: string, messageGroupUuid: string) =>
  DynamoDBDocumentClient.from(admin).send(
    new UpdateCommand({ TableName: tableName, Key: rowKey(owner, messageGroupUuid), UpdateExpression: 'ADD rev :one', ExpressionAttributeValues: { ':one': 1 } })
  )

describe('updateMessageGroups', () => {
  it('brings both rows to the message with one UpdateItem each, and a repeat writes nothing', async () => {
    const group = await conversation(plain(), 2)
    const messaging = plain(faulty)
    const result = await messaging.updateMessageGroups(group.messages[2]!)
    expect(calls).toEqual(['QueryCommand', 'BatchGetItemCommand', 'QueryCommand', 'UpdateItemCommand', 'UpdateItemCommand'])
    expect(result).toMatchObject({ updated: 2, missing: [], unknown: false })
    expect(result.owners.map((owner) => [owner.userUuid, owner.rev, owner.lastSk])).toEqual(
      [group.alice.uuid, group.bob.uuid].sort().map((owner) => [owner, 2, group.messages[2]!.sortKey])
    )
    await expectRowsAt(group, group.messages[2]!)
    calls.length = 0
    expect(await messaging.updateMessageGroups(group.messages[2]!)).toMatchObject({ updated: 0 })
    expect(calls.filter((name) => name === 'UpdateItemCommand')).toEqual([])
  })

  it('says when the conversation has no members, and writes nothing', async () => {
    const before = await scanAll(admin, tableName)
    const result = await plain().updateMessageGroups({ messageGroupUuid: user('x').uuid, sortKey: '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF' })
    expect(result).toEqual({ updated: 0, participants: [], owners: [], missing: [], unknown: true })
    expect(await scanAll(admin, tableName)).toEqual(before)
  })
})

describe('updateMessageGroups under faults', () => {
  it('keeps each row whole when a write fails on the network, and completes when repeated', async () => {
    const group = await conversation(plain(), 1)
    const messaging = plain(wire.client)
    wire.proxy.setRules([{ fault: 'reset', operations: ['UpdateItem'], match: (body) => JSON.stringify(body).includes(`GRP#${group.bob.uuid}`) }])
    await expect(messaging.updateMessageGroups(group.messages[1]!)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) })
    // Alice's row moved, before the call failed (no write of it still in flight); Bob's is untouched, never half-written.
    expect((await rowOf(admin, tableName, group.alice.uuid, group.messageGroupUuid))?.last_sk).toBe(group.messages[1]!.sortKey)
    expect(rowView(await rowOf(admin, tableName, group.bob.uuid, group.messageGroupUuid))).toEqual({
      lastSk: group.messages[0]!.sortKey,
      message: 'm0',
      unreadCount: 1,
      lastReadSk: undefined,
      unreadOwner: group.bob.uuid
    })
    wire.proxy.setRules([])
    expect(await messaging.updateMessageGroups(group.messages[1]!)).toMatchObject({ updated: 1, missing: [], unknown: false })
    await expectRowsAt(group, group.messages[1]!)
  })

  it('surfaces throttling of its reads having written nothing', async () => {
    const group = await conversation(plain(), 1)
    wire.proxy.setRules([{ fault: 'throughput', operations: ['Query'] }])
    await expect(plain(wire.client).updateMessageGroups(group.messages[1]!)).rejects.toBeInstanceOf(ProvisionedThroughputExceededException)
    expect(wire.proxy.stats.requests.UpdateItem ?? 0).toBe(0)
    await expectRowsAt(group, group.messages[0]!)
  })

  it('decides again for a row changed between its read and its write', async () => {
    const group = await conversation(plain(), 1)
    let changes = 1
    // Bob's own update, held until the change landed (the two rows' updates run concurrently: only his is certain
    // to be sent after it).
    rule = async (name, input) => {
      if (name === 'UpdateItemCommand' && JSON.stringify(input.Key).includes(group.bob.uuid) && changes-- > 0) await touch(group.bob.uuid, group.messageGroupUuid)
      return undefined
    }
    expect(await plain(faulty).updateMessageGroups(group.messages[1]!, { baseDelayMs: 1 })).toMatchObject({ updated: 2 })
    expect(calls.filter((name) => name === 'GetItemCommand')).toHaveLength(1) // bob's row, read again
    await expectRowsAt(group, group.messages[1]!)
  })

  it('gives up with ConcurrentUpdateError when a row keeps changing; rows written stay written; a repeat completes', async () => {
    const group = await conversation(plain(), 1)
    rule = async (name) => {
      if (name === 'UpdateItemCommand') await touch(group.bob.uuid, group.messageGroupUuid)
      return undefined
    }
    const error = await plain(faulty).updateMessageGroups(group.messages[1]!, { baseDelayMs: 1, maxAttempts: 3 }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConcurrentUpdateError)
    expect(calls.filter((name) => name === 'UpdateItemCommand')).toHaveLength(4) // both rows, then bob's twice more
    expect((await rowOf(admin, tableName, group.alice.uuid, group.messageGroupUuid))?.last_sk).toBe(group.messages[1]!.sortKey)
    expect((await rowOf(admin, tableName, group.bob.uuid, group.messageGroupUuid))?.last_sk).toBe(group.messages[0]!.sortKey)
    rule = () => undefined
    expect(await plain().updateMessageGroups(group.messages[1]!)).toMatchObject({ updated: 1 })
    await expectRowsAt(group, group.messages[1]!)
  })

  it('reads again, consistently, a row an eventually consistent read did not return yet', async () => {
    const group = await conversation(plain(), 1)
    rule = (name, input) => {
      const consistent = (input.RequestItems as Record<string, { ConsistentRead?: boolean }> | undefined)?.[tableName]?.ConsistentRead
      return name === 'BatchGetItemCommand' && !consistent ? { answer: { Responses: { [tableName]: [] } } } : undefined
    }
    expect(await plain(faulty).updateMessageGroups(group.messages[1]!)).toMatchObject({ updated: 2, missing: [] })
    expect(calls.filter((name) => name === 'BatchGetItemCommand')).toHaveLength(2)
    await expectRowsAt(group, group.messages[1]!)
  })

  it('converges to the newest message when updates run concurrently and out of order', async () => {
    const messaging = plain()
    const group = await conversation(messaging, 12)
    const shuffled = [...group.messages, ...group.messages].sort(() => Math.random() - 0.5)
    await Promise.all(shuffled.map((message) => messaging.updateMessageGroups(message, { baseDelayMs: 5, maxAttempts: 20 })))
    await expectRowsAt(group, group.messages.at(-1)!)
    expect((await messaging.listMessageGroups({ userUuid: group.alice.uuid })).items).toHaveLength(1)
  })

  it('rejects a message that is not a message, without writing', async () => {
    const codes = await validationCodesWithoutWrites(admin, tableName, () =>
      plain().updateMessageGroups({ messageGroupUuid: 'nope', sortKey: '#CONVERSATION', message: 42 as unknown as string })
    )
    expect(codes).toEqual(['message_group_uuid_invalid', 'sort_key_invalid'])
  })
})
