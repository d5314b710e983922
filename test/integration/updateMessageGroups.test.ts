import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb'
import { createMessaging, StaleIndexError, type Message, type MessagingClient } from '../../src/index.js'
import { engineClient, scanAll, testTable, user } from '../support/engine.js'
import { awsError, injectFaults, type FaultRule } from '../support/faults.js'
import { wireFaults } from '../support/wireFaults.js'

const { client: admin, tableName } = await testTable('pattern-d')
let rule: FaultRule = () => undefined
const faulty = engineClient({ maxAttempts: 1 }) // SDK retries off: each injected fault reaches the library
injectFaults(faulty, (name, input) => rule(name, input))
afterAll(() => faulty.destroy())
// Faults on the wire go through the proxy; the mock above only fakes what the proxy cannot (a conflict, a stale index).
const wire = await wireFaults()
beforeEach(() => {
  rule = () => undefined
})

/** A conversation with `count` messages after the first; returns them oldest first. */
async function conversation(messaging: MessagingClient, count: number) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message: first } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'm0' })
  const messages: Message[] = [first]
  for (let i = 1; i <= count; i++) {
    messages.push(await messaging.createMessage({ messageGroupUuid, sender: i % 2 ? bob : alice, message: `m${i}` }))
  }
  return { messageGroupUuid, alice, bob, messages }
}

/** Every GRP# row of one conversation, read consistently from the table itself. */
async function groupRows(messageGroupUuid: string) {
  return (await scanAll(admin, tableName))
    .filter((item) => item.message_group_uuid === messageGroupUuid)
    .map((item) => ({ pk: item.pk, sk: item.sk, message: item.message }))
    .sort((a, b) => String(a.pk).localeCompare(String(b.pk)))
}

const expectRowsAt = async (messageGroupUuid: string, owners: string[], message: Message) =>
  expect(await groupRows(messageGroupUuid)).toEqual(
    [...owners].sort().map((owner) => ({ pk: `GRP#${owner}`, sk: message.sortKey, message: message.message }))
  )

describe('updateMessageGroups under faults', () => {
  it('loses nothing when the write fails on the network, and completes when repeated', async () => {
    const messaging = createMessaging({ client: wire.client, tableName })
    const { messageGroupUuid, alice, bob, messages } = await conversation(messaging, 1)
    wire.proxy.setRules([{ fault: 'reset', operations: ['TransactWriteItems'] }])
    await expect(messaging.updateMessageGroups(messages[1]!)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) })
    await expectRowsAt(messageGroupUuid, [alice.uuid, bob.uuid], messages[0]!) // untouched, not deleted
    wire.proxy.setRules([])
    expect(await messaging.updateMessageGroups(messages[1]!)).toMatchObject({ moved: 2, removed: 0, recreated: 0, lost: [], owners: [alice.uuid, bob.uuid].sort() })
    await expectRowsAt(messageGroupUuid, [alice.uuid, bob.uuid], messages[1]!)
  })

  it('surfaces throttling without half a move', async () => {
    const messaging = createMessaging({ client: wire.client, tableName })
    const { messageGroupUuid, alice, bob, messages } = await conversation(messaging, 1)
    wire.proxy.setRules([{ fault: 'throughput', operations: ['Query'] }])
    await expect(messaging.updateMessageGroups(messages[1]!)).rejects.toBeInstanceOf(ProvisionedThroughputExceededException)
    expect(wire.proxy.stats.requests.TransactWriteItems ?? 0).toBe(1) // the conversation's start only: no half move
    await expectRowsAt(messageGroupUuid, [alice.uuid, bob.uuid], messages[0]!)
  })

  it('retries a transaction conflict', async () => {
    const messaging = createMessaging({ client: faulty, tableName })
    const { messageGroupUuid, alice, bob, messages } = await conversation(messaging, 1)
    let conflicts = 1
    rule = (name) =>
      name === 'TransactWriteItemsCommand' && conflicts-- > 0
        ? { fail: awsError('TransactionCanceledException', { CancellationReasons: [{ Code: 'TransactionConflict' }] }) }
        : undefined
    expect(await messaging.updateMessageGroups(messages[1]!, { baseDelayMs: 1 })).toMatchObject({ moved: 2, removed: 0, recreated: 0, lost: [], owners: [alice.uuid, bob.uuid].sort() })
    await expectRowsAt(messageGroupUuid, [alice.uuid, bob.uuid], messages[1]!)
  })

  it('re-reads when the index is stale and misses a newer row, leaving no duplicate', async () => {
    const messaging = createMessaging({ client: faulty, tableName })
    const { messageGroupUuid, alice, bob, messages } = await conversation(messaging, 2)
    // The index still shows the rows at m0, but the table has them at m1.
    const stale = (await groupRows(messageGroupUuid)).map((row) => ({ ...row }))
    const staleItems = (await scanAll(admin, tableName)).filter((item) => item.message_group_uuid === messageGroupUuid)
    await messaging.updateMessageGroups(messages[1]!)
    expect(stale.every((row) => row.sk === messages[0]!.sortKey)).toBe(true)
    let staleReads = 2
    rule = (name, input) =>
      name === 'QueryCommand' && input.IndexName && staleReads-- > 0
        ? { answer: { Items: staleItems, Count: staleItems.length } }
        : undefined
    expect(await messaging.updateMessageGroups(messages[2]!, { baseDelayMs: 1 })).toMatchObject({ moved: 2, removed: 0, recreated: 0, lost: [], owners: [alice.uuid, bob.uuid].sort() })
    expect(staleReads).toBe(-1) // two stale reads were served, then a fresh one
    await expectRowsAt(messageGroupUuid, [alice.uuid, bob.uuid], messages[2]!)
  })

  it('gives up with StaleIndexError, losing nothing, when the index stays stale', async () => {
    const messaging = createMessaging({ client: faulty, tableName })
    const { messageGroupUuid, alice, bob, messages } = await conversation(messaging, 2)
    const staleItems = (await scanAll(admin, tableName)).filter((item) => item.message_group_uuid === messageGroupUuid)
    await messaging.updateMessageGroups(messages[1]!)
    rule = (name, input) =>
      name === 'QueryCommand' && input.IndexName ? { answer: { Items: staleItems } } : undefined
    const error = await messaging.updateMessageGroups(messages[2]!, { baseDelayMs: 1, maxAttempts: 3 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StaleIndexError)
    await expectRowsAt(messageGroupUuid, [alice.uuid, bob.uuid], messages[1]!)
  })

  it('treats an index that has not yet seen a new conversation as stale, not as "nothing to do"', async () => {
    const messaging = createMessaging({ client: faulty, tableName })
    const { messageGroupUuid, alice, bob, messages } = await conversation(messaging, 1)
    let staleReads = 1
    rule = (name, input) => (name === 'QueryCommand' && input.IndexName && staleReads-- > 0 ? { answer: { Items: [] } } : undefined)
    expect(await messaging.updateMessageGroups(messages[1]!, { baseDelayMs: 1 })).toMatchObject({ moved: 2, removed: 0, recreated: 0, lost: [], owners: [alice.uuid, bob.uuid].sort() })
    await expectRowsAt(messageGroupUuid, [alice.uuid, bob.uuid], messages[1]!)
  })

  it('converges to the newest message when updates run concurrently and out of order', async () => {
    const messaging = createMessaging({ client: admin, tableName })
    const { messageGroupUuid, alice, bob, messages } = await conversation(messaging, 12)
    const shuffled = [...messages, ...messages].sort(() => Math.random() - 0.5)
    await Promise.all(shuffled.map((message) => messaging.updateMessageGroups(message, { baseDelayMs: 5, maxAttempts: 20 })))
    await expectRowsAt(messageGroupUuid, [alice.uuid, bob.uuid], messages.at(-1)!)
    const { items } = await messaging.listMessageGroups({ userUuid: alice.uuid })
    expect(items).toHaveLength(1)
  })

  it('rejects a message that is not a message, without writing', async () => {
    const messaging = createMessaging({ client: admin, tableName })
    const before = await scanAll(admin, tableName)
    const error = await messaging
      .updateMessageGroups({ messageGroupUuid: 'nope', sortKey: '#MEMBERS', message: 42 as unknown as string })
      .catch((e: unknown) => e)
    expect((error as { issues: { code: string }[] }).issues.map((i) => i.code)).toEqual([
      'message_group_uuid_invalid',
      'sort_key_invalid',
      'message_blank'
    ])
    expect(await scanAll(admin, tableName)).toEqual(before)
  })
})
