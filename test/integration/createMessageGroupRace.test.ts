import { describe, expect, it } from 'vitest'
import { createMessaging, messageGroupUuidFor, type CreateMessageGroupResult } from '../../src/index.js'
import { testTable, user } from '../support/engine.js'
import { conversationOf, rowOf, rowsOf } from '../support/layout.js'
import { awsError, faultyClient } from '../support/faults.js'

// DynamoDB Local never cancels a transaction for a conflict; real DynamoDB does when two touch the same item at once.
const { client: admin, tableName } = await testTable('start-race')
const faults = faultyClient()
const faulty = faults.client

/** What real DynamoDB answers the loser of two simultaneous starts (its transaction's six items; the first conflicts). */
const conflict = () =>
  awsError('TransactionCanceledException', {
    CancellationReasons: [{ Code: 'TransactionConflict' }, ...Array.from({ length: 5 }, () => ({ Code: 'None' }))]
  })

/** Everything stored for one pair: their conversation's items, and every conversation row either of them owns. */
async function storedFor(a: { uuid: string }, b: { uuid: string }) {
  const messageGroupUuid = messageGroupUuidFor(a.uuid, b.uuid)
  const { conversation, members, messages } = await conversationOf(admin, tableName, messageGroupUuid)
  const rows = [...(await rowsOf(admin, tableName, a.uuid)), ...(await rowsOf(admin, tableName, b.uuid))]
  return {
    conversations: conversation ? 1 : 0,
    members,
    messages: messages.map((item) => item.message).sort(),
    rows: rows.map((row) => [row.pk, row.sk]).sort()
  }
}

describe('createMessageGroup when DynamoDB cancels a start for a transaction conflict', () => {
  it('two simultaneous starts of one conversation both succeed: one creates it, the other adds its message', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const other = createMessaging({ client: admin, tableName })
    let bobsStart: Promise<CreateMessageGroupResult> | undefined
    faults.rule = async (name) => {
      if (name !== 'TransactWriteItemsCommand' || bobsStart) return undefined
      // Bob starts the same conversation at the same moment and commits; DynamoDB cancels Alice's transaction.
      bobsStart = other.createMessageGroup({ sender: bob, recipient: alice, message: 'Hi Alice!' })
      await bobsStart
      return { fail: conflict() }
    }
    const alices = await createMessaging({ client: faulty, tableName }).createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob!' })
    const bobs = await bobsStart!
    expect(bobs).toMatchObject({ created: true, message: { message: 'Hi Alice!' } })
    expect(alices).toMatchObject({ created: false, messageGroupUuid: bobs.messageGroupUuid, message: { message: 'Hi Bob!' } })
    const stored = await storedFor(alice, bob)
    expect(stored.conversations).toBe(1)
    expect(stored.members).toEqual([alice.uuid, bob.uuid].sort())
    expect(stored.messages).toEqual(['Hi Alice!', 'Hi Bob!'])
    expect(stored.rows).toEqual([[`GRP#${alice.uuid}`, `MSG#${bobs.messageGroupUuid}`], [`GRP#${bob.uuid}`, `MSG#${bobs.messageGroupUuid}`]].sort())
    // Alice's own row shows her message at once (the sender's row is updated in the send).
    expect(await rowOf(admin, tableName, alice.uuid, bobs.messageGroupUuid)).toMatchObject({ last_sk: alices.message.sortKey, message: 'Hi Bob!', unread_count: 0 })
  })

  it('retries a conflicted start that nobody else committed, and creates the conversation once', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    let conflicts = 2
    faults.rule = (name) => (name === 'TransactWriteItemsCommand' && conflicts-- > 0 ? { fail: conflict() } : undefined)
    const result = await createMessaging({ client: faulty, tableName }).createMessageGroup({ sender: alice, recipient: bob, message: 'Hi' })
    expect(conflicts).toBe(-1) // two conflicts answered, then the real engine
    expect(result.created).toBe(true)
    const stored = await storedFor(alice, bob)
    expect([stored.conversations, stored.members.length, stored.messages, stored.rows.length]).toEqual([1, 2, ['Hi'], 2])
  })

  it('gives up after a bounded number of attempts when the conflict persists, having written nothing', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    let attempts = 0
    faults.rule = (name) => {
      if (name !== 'TransactWriteItemsCommand') return undefined
      attempts++
      return { fail: conflict() }
    }
    const error = await createMessaging({ client: faulty, tableName })
      .createMessageGroup({ sender: alice, recipient: bob, message: 'Hi' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TransactionCanceledException' })
    expect(attempts).toBe(5)
    expect(await storedFor(alice, bob)).toEqual({ conversations: 0, members: [], messages: [], rows: [] })
  })
})
