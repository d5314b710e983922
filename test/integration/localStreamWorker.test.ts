import { describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler, ValidationError, type AppliedConversation, type StreamHandler } from '../../src/index.js'
import { startLocalStreamWorker } from '../../src/local/index.js'
import { testTable, user } from '../support/engine.js'
import { direct } from '../support/direct.js'

const { client, tableName } = await testTable('worker')
const messaging = createMessaging({ client, tableName })

describe('startLocalStreamWorker (end to end through DynamoDB Local\'s real stream)', () => {
  it('keeps both participants\' conversation lists current as messages are sent', async () => {
    const worker = await startLocalStreamWorker({ client, tableName, pollIntervalMs: 50 })
    try {
      const [alice, bob, carol] = [user('alice'), user('bob'), user('carol')]
      const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob' })
      await messaging.createMessageGroup({ sender: carol, recipient: alice, message: 'Hi Alice, Carol here' })
      await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice' })
      const last = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'Lunch?' })
      await worker.drain()

      const aliceList = (await messaging.listMessageGroups({ userUuid: alice.uuid })).items
      expect(aliceList.map((g) => [direct(g).otherUserHandle, g.lastMessage])).toEqual([
        ['bob', 'Lunch?'],
        ['carol', 'Hi Alice, Carol here']
      ])
      const bobList = (await messaging.listMessageGroups({ userUuid: bob.uuid })).items
      expect(bobList).toEqual([expect.objectContaining({ otherUserHandle: 'alice', lastMessage: 'Lunch?', sortKey: last.sortKey })])
    } finally {
      await worker.stop()
    }
  })

  it('delivers again from the lowest failed record, as Lambda does', async () => {
    const real = createStreamHandler({ client, tableName })
    let failuresLeft = 2
    const delivered: number[] = []
    const flaky: StreamHandler = async (event) => {
      delivered.push(event.Records.length)
      if (failuresLeft-- > 0) return { batchItemFailures: [{ itemIdentifier: event.Records[0]!.dynamodb!.SequenceNumber! }] }
      return real(event)
    }
    const worker = await startLocalStreamWorker({ client, tableName, handler: flaky, startingPosition: 'LATEST', pollIntervalMs: 50 })
    try {
      const [dan, erin] = [user('dan'), user('erin')]
      const { messageGroupUuid } = await messaging.createMessageGroup({ sender: dan, recipient: erin, message: 'one' })
      await messaging.createMessage({ messageGroupUuid, sender: erin, message: 'two' })
      await worker.drain()
      expect(delivered.length).toBeGreaterThanOrEqual(3)
      const { items } = await messaging.listMessageGroups({ userUuid: dan.uuid })
      expect(items.map((g) => g.lastMessage)).toEqual(['two'])
    } finally {
      await worker.stop()
    }
  })

  it('calls onApplied after each conversation\'s rows are written, with the unread counts', async () => {
    const applied: AppliedConversation[] = []
    const worker = await startLocalStreamWorker({ client, tableName, startingPosition: 'LATEST', pollIntervalMs: 50, onApplied: (a) => void applied.push(a) })
    try {
      const [fay, gus] = [user('fay'), user('gus')]
      const { messageGroupUuid } = await messaging.createMessageGroup({ sender: fay, recipient: gus, message: 'one' })
      const two = await messaging.createMessage({ messageGroupUuid, sender: fay, message: 'two' })
      await worker.drain()
      const last = applied.filter((a) => a.messageGroupUuid === messageGroupUuid).at(-1)
      expect(last?.message).toMatchObject({ sortKey: two.sortKey, message: 'two', userUuid: fay.uuid })
      expect(last?.participants.find((p) => p.userUuid === gus.uuid)?.unreadCount).toBe(2)
    } finally {
      await worker.stop()
    }
  })

  it('refuses onApplied next to a handler of one\'s own (it would go unused)', async () => {
    const error = await startLocalStreamWorker({ client, tableName, handler: createStreamHandler({ client, tableName }), onApplied: () => {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.code)).toEqual(['on_applied_invalid'])
  })
})
