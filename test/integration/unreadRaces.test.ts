import { describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler } from '../../src/index.js'
import { testTable, user } from '../support/engine.js'
import { rowOf } from '../support/layout.js'
import { faultyClient } from '../support/faults.js'
import { insertRecordOf } from '../support/streamRecords.js'

// markRead racing Pattern D on the same row, with the interleaving forced: a fault rule holds one writer's request
// until the other writer has committed, then lets it reach the real engine. Neither effect may be lost: the marker set
// while the row is being updated survives the update, and the message the update brings counts.
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

/** Bob's row, read from the table itself: what it shows and what it says about his reading. */
async function bobsRow(messageGroupUuid: string, bobUuid: string) {
  const row = await rowOf(admin, tableName, bobUuid, messageGroupUuid)
  return row && { last_sk: row.last_sk, last_read_sk: row.last_read_sk, unread_count: row.unread_count, unread_owner_uuid: row.unread_owner_uuid }
}

describe('markRead racing the stream handler on the same row', () => {
  it("a markRead that commits between the handler's read and its write survives the update", async () => {
    const { messageGroupUuid, bob, first, second, record } = await unappliedReply()
    const updates: string[] = []
    faults.rule = async (name, input) => {
      if (name !== 'UpdateItemCommand' || (input.Key as { pk: string }).pk !== `GRP#${bob.uuid}`) return undefined
      updates.push(name)
      // Held until Bob has read the first message: the handler decided from his row as it was before.
      if (updates.length === 1) await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid, upTo: first.sortKey })
      return undefined
    }
    expect(await racingHandler({ Records: [record] })).toEqual({ batchItemFailures: [] })
    expect(updates).toHaveLength(2) // the first was refused by its condition on Bob's revision, then re-decided
    expect(await bobsRow(messageGroupUuid, bob.uuid)).toEqual({ last_sk: second.sortKey, last_read_sk: first.sortKey, unread_count: 1, unread_owner_uuid: bob.uuid })
  })

  it("an update that commits between markRead's read and its write is not undone: markRead reads again", async () => {
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
    expect(updates).toHaveLength(2) // the first found the row at a newer revision
    expect(read).toMatchObject({ changed: true, unreadCount: 1, lastReadSortKey: first.sortKey })
    expect(await bobsRow(messageGroupUuid, bob.uuid)).toEqual({ last_sk: second.sortKey, last_read_sk: first.sortKey, unread_count: 1, unread_owner_uuid: bob.uuid })
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
    expect(await bobsRow(messageGroupUuid, bob.uuid)).toEqual({ last_sk: second.sortKey, last_read_sk: second.sortKey, unread_count: 0, unread_owner_uuid: undefined })
  })
})
