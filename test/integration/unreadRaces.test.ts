import { describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler } from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { faultyClient } from '../support/faults.js'
import { insertRecordOf } from '../support/streamRecords.js'

// markRead racing Pattern D on the same row, with the interleaving forced: a fault rule holds one writer's request
// until the other writer has committed, then lets it reach the real engine. Neither effect may be lost: the marker set
// while the row moves survives the move, and the message the move brings counts.
const { client: admin, tableName } = await testTable('unread-races')
const messaging = createMessaging({ client: admin, tableName })
const faults = faultyClient()
const racing = createMessaging({ client: faults.client, tableName })
const racingHandler = createStreamHandler({ client: faults.client, tableName, baseDelayMs: 1 })
const handler = createStreamHandler({ client: admin, tableName })

let sequence = 1
/** Alice starts a conversation with Bob and sends one more message, which the stream has not applied yet. */
async function unappliedReply() {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message: first } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  const second = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'are you there?' })
  return { messageGroupUuid, alice, bob, first, second, record: insertRecordOf(second, sequence++) }
}

/** Bob's row, read from the table itself: where it is and what it says about his reading. */
async function bobsRow(messageGroupUuid: string, bobUuid: string) {
  const rows = (await scanAll(admin, tableName)).filter((item) => item.message_group_uuid === messageGroupUuid && item.pk === `GRP#${bobUuid}`)
  return rows.map((row) => ({ sk: row.sk, last_read_sk: row.last_read_sk, unread_count: row.unread_count, unread_owner_uuid: row.unread_owner_uuid }))
}

describe('markRead racing the stream handler on the same row', () => {
  it('a markRead that commits between the handler\'s read and its transaction survives the move', async () => {
    const { messageGroupUuid, bob, first, second, record } = await unappliedReply()
    const transactions: string[] = []
    faults.rule = async (name) => {
      if (name !== 'TransactWriteItemsCommand') return undefined
      transactions.push(name)
      // Held until Bob has read the first message: the handler decided from his row as it was before.
      if (transactions.length === 1) await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid, upTo: first.sortKey })
      return undefined
    }
    expect(await racingHandler({ Records: [record] })).toEqual({ batchItemFailures: [] })
    expect(transactions).toHaveLength(2) // the first was cancelled by its condition on Bob's read state, then re-decided
    expect(await bobsRow(messageGroupUuid, bob.uuid)).toEqual([
      { sk: second.sortKey, last_read_sk: first.sortKey, unread_count: 1, unread_owner_uuid: bob.uuid }
    ])
  })

  it('a move that commits between markRead\'s read and its write is not undone: markRead reads again', async () => {
    const { messageGroupUuid, bob, first, second, record } = await unappliedReply()
    const updates: string[] = []
    faults.rule = async (name) => {
      if (name !== 'UpdateItemCommand') return undefined
      updates.push(name)
      // Held until the stream has moved Bob's row to the second message (and counted it).
      if (updates.length === 1) expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] })
      return undefined
    }
    const read = await racing.markRead({ messageGroupUuid, userUuid: bob.uuid, upTo: first.sortKey })
    expect(updates).toHaveLength(2) // the first found the row gone from its old key
    expect(read).toMatchObject({ changed: true, unreadCount: 1, lastReadSortKey: first.sortKey })
    expect(await bobsRow(messageGroupUuid, bob.uuid)).toEqual([
      { sk: second.sortKey, last_read_sk: first.sortKey, unread_count: 1, unread_owner_uuid: bob.uuid }
    ])
  })

  it('two markReads at once: the later marker wins whichever commits first', async () => {
    const { messageGroupUuid, bob, first, second, record } = await unappliedReply()
    await handler({ Records: [record] })
    const updates: string[] = []
    faults.rule = async (name) => {
      if (name !== 'UpdateItemCommand') return undefined
      updates.push(name)
      // Bob reads up to the newest message on another device while this call (up to the first) is in flight.
      if (updates.length === 1) await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
      return undefined
    }
    const read = await racing.markRead({ messageGroupUuid, userUuid: bob.uuid, upTo: first.sortKey })
    expect(read).toMatchObject({ changed: false, unreadCount: 0, lastReadSortKey: second.sortKey })
    expect(await bobsRow(messageGroupUuid, bob.uuid)).toEqual([{ sk: second.sortKey, last_read_sk: second.sortKey, unread_count: 0, unread_owner_uuid: undefined }])
  })
})
