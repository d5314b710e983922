import { describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler, NotAMemberError, type Message } from '../../src/index.js'
import { testTable, user } from '../support/engine.js'
import { faultyClient } from '../support/faults.js'
import { removeMember, rowOf, rowsOf } from '../support/layout.js'
import { insertRecordOf } from '../support/streamRecords.js'

// A member removed (their membership item and row deleted, as group administration will do) is never given a row
// back: Pattern D reads the members, not the rows, and every row write is conditioned on the row existing at the
// revision read; the sender's row in the send is conditioned on the row existing.
const { client: admin, tableName } = await testTable('member-removed')
const messaging = createMessaging({ client: admin, tableName })
const faults = faultyClient()
const handler = createStreamHandler({ client: faults.client, tableName, baseDelayMs: 1 })
let sequence = 1
const record = (message: Message) => insertRecordOf(message, sequence++)

async function pair() {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  return { messageGroupUuid, alice, bob, first: message }
}

describe('a member removed meanwhile', () => {
  it('gets no row back from a record delivered after the removal, new or redelivered', async () => {
    const { messageGroupUuid, alice, bob, first } = await pair()
    const reply = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'still there?' })
    await removeMember(admin, tableName, bob.uuid, messageGroupUuid)
    expect(await handler({ Records: [record(first), record(reply)] })).toEqual({ batchItemFailures: [] })
    expect(await rowOf(admin, tableName, bob.uuid, messageGroupUuid)).toBeUndefined()
    expect(await rowsOf(admin, tableName, bob.uuid)).toEqual([])
    expect((await rowOf(admin, tableName, alice.uuid, messageGroupUuid))?.last_sk).toBe(reply.sortKey)
    expect(await messaging.updateMessageGroups(reply)).toMatchObject({ updated: 0, missing: [] })
    expect(await rowOf(admin, tableName, bob.uuid, messageGroupUuid)).toBeUndefined()
  })

  it("gets no row back when removed between Pattern D's read of the rows and its write: the write is refused", async () => {
    const { messageGroupUuid, alice, bob } = await pair()
    const reply = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'racing the removal' })
    let removed = false
    faults.rule = async (name, input) => {
      if (name !== 'UpdateItemCommand' || removed || (input.Key as { pk: string }).pk !== `GRP#${bob.uuid}`) return undefined
      removed = true
      await removeMember(admin, tableName, bob.uuid, messageGroupUuid) // after the handler read bob's membership and row
      return undefined
    }
    expect(await handler({ Records: [record(reply)] })).toEqual({ batchItemFailures: [] })
    expect(removed).toBe(true)
    expect(await rowOf(admin, tableName, bob.uuid, messageGroupUuid)).toBeUndefined()
    expect(await rowsOf(admin, tableName, bob.uuid)).toEqual([])
  })

  it("gets no row back from their own send racing the removal (the sender's row needs the row to exist)", async () => {
    const { messageGroupUuid, bob } = await pair()
    const racing = createMessaging({ client: faults.client, tableName })
    faults.rule = async (name) => {
      // The membership was checked; bob is removed before his message is stored.
      if (name === 'PutItemCommand') await removeMember(admin, tableName, bob.uuid, messageGroupUuid)
      return undefined
    }
    await racing.createMessage({ messageGroupUuid, sender: bob, message: 'sent as I left' })
    expect(await rowOf(admin, tableName, bob.uuid, messageGroupUuid)).toBeUndefined()
  })

  it('can neither read, send nor mark read any more, and writes nothing trying', async () => {
    const { messageGroupUuid, bob } = await pair()
    await removeMember(admin, tableName, bob.uuid, messageGroupUuid)
    faults.rule = () => undefined
    for (const attempt of [
      () => messaging.listMessages({ messageGroupUuid, viewerUuid: bob.uuid }),
      () => messaging.createMessage({ messageGroupUuid, sender: bob, message: 'let me in' }),
      () => messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
    ]) {
      await expect(attempt()).rejects.toBeInstanceOf(NotAMemberError)
    }
    expect(await rowsOf(admin, tableName, bob.uuid)).toEqual([])
  })
})
