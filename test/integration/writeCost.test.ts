import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler, INBOX_INDEX, UNREAD_INDEX, type Message } from '../../src/index.js'
import { engineClient, testTable, user } from '../support/engine.js'
import { insertRecordOf } from '../support/streamRecords.js'

// What each write touches, as DynamoDB Local reports it (`ReturnConsumedCapacity: 'INDEXES'`, added to every write by
// a middleware): deterministic counts of write units for the table and each index, for non-transactional writes (the
// engine under-reports transactions). A row update in place touches an index only where it must: inbox-index twice
// when the last message (its sort key) changes, once when only projected attributes change; unread-index (keys only)
// once when the row enters or leaves it, never as its count changes in between.
const { tableName } = await testTable('write-cost')
const client = engineClient()
afterAll(() => client.destroy())
type Units = { operation: string; table: number; indexes: Record<string, number> }
const writes: Units[] = []
client.middlewareStack.add(
  (next, context) => async (args) => {
    const operation = String(context.commandName).replace(/Command$/, '')
    const write = /^(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/.test(operation)
    if (write) args.input = { ...(args.input as object), ReturnConsumedCapacity: 'INDEXES' }
    const result = await next(args)
    if (write) {
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity
      for (const entry of [consumed ?? []].flat()) {
        const indexes = Object.fromEntries(Object.entries(entry.GlobalSecondaryIndexes ?? {}).map(([name, units]) => [name, units.CapacityUnits ?? 0]))
        writes.push({ operation, table: entry.Table?.CapacityUnits ?? 0, indexes })
      }
    }
    return result
  },
  { step: 'initialize', name: 'testConsumedCapacity' }
)
interface ConsumedCapacity {
  Table?: { CapacityUnits?: number }
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>
}
beforeEach(() => void (writes.length = 0))

const messaging = createMessaging({ client, tableName })
const handler = createStreamHandler({ client, tableName })
let sequence = 1
const deliver = (...messages: Message[]) => handler({ Records: messages.map((message) => insertRecordOf(message, sequence++)) })
const total = (units: readonly Units[]) => units.reduce((sum, u) => sum + u.table + Object.values(u.indexes).reduce((a, b) => a + b, 0), 0)
const noIndex = {}
const inboxKeyChange = { [INBOX_INDEX]: 2 }

/** Alice and Bob, their conversation started and applied; then the state `before` asks for. */
async function pair(before: 'nothing-unread' | 'recipient-unread' | 'sender-unread') {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  await deliver(message)
  if (before !== 'recipient-unread') await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
  if (before === 'sender-unread') await deliver(await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'unread by alice' }))
  writes.length = 0
  return { messageGroupUuid, alice, bob }
}

describe('write units of each operation, as DynamoDB Local reports them', () => {
  it('a lone message, the sender having nothing unread: 8 WCU in all, send and fan-out', async () => {
    const { messageGroupUuid, alice } = await pair('nothing-unread')
    const sent = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'lone' })
    expect(writes).toEqual([
      { operation: 'PutItem', table: 1, indexes: noIndex }, // the message: no index holds it
      { operation: 'UpdateItem', table: 1, indexes: inboxKeyChange } // the sender's row: its last message changes, nothing unread
    ])
    writes.length = 0
    await deliver(sent)
    // The recipient's row: moves in inbox-index, enters unread-index. The sender's row is current: not written.
    expect(writes).toEqual([{ operation: 'UpdateItem', table: 1, indexes: { ...inboxKeyChange, [UNREAD_INDEX]: 1 } }])
    expect(1 + 3 + total(writes)).toBe(8)
  })

  it('a lone message to a recipient who already had unread messages: 7 (their count changes, unread-index does not)', async () => {
    const { messageGroupUuid, alice } = await pair('recipient-unread')
    await deliver(await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'another' }))
    expect(writes).toEqual([
      { operation: 'PutItem', table: 1, indexes: noIndex },
      { operation: 'UpdateItem', table: 1, indexes: inboxKeyChange },
      { operation: 'UpdateItem', table: 1, indexes: inboxKeyChange }
    ])
    expect(total(writes)).toBe(7)
  })

  it('a reply from a sender who had unread messages: 9 (their row leaves unread-index)', async () => {
    const { messageGroupUuid, alice } = await pair('sender-unread')
    await deliver(await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'reply' }))
    expect(writes).toEqual([
      { operation: 'PutItem', table: 1, indexes: noIndex },
      { operation: 'UpdateItem', table: 1, indexes: { ...inboxKeyChange, [UNREAD_INDEX]: 1 } },
      { operation: 'UpdateItem', table: 1, indexes: { ...inboxKeyChange, [UNREAD_INDEX]: 1 } }
    ])
    expect(total(writes)).toBe(9)
  })

  it('without the sender\'s row in the send, the stream writes it: the same 8 in all', async () => {
    const { messageGroupUuid, alice } = await pair('nothing-unread')
    const quiet = createMessaging({ client, tableName, updateSenderRow: false })
    await deliver(await quiet.createMessage({ messageGroupUuid, sender: alice, message: 'lone' }))
    expect(writes.map((w) => w.operation)).toEqual(['PutItem', 'UpdateItem', 'UpdateItem'])
    expect(total(writes)).toBe(8)
  })

  it('markRead: the row changes in place (inbox-index once) and leaves unread-index; a repeat writes nothing', async () => {
    const { messageGroupUuid, bob } = await pair('recipient-unread')
    await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
    expect(writes).toEqual([{ operation: 'UpdateItem', table: 1, indexes: { [INBOX_INDEX]: 1, [UNREAD_INDEX]: 1 } }])
    writes.length = 0
    await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
    expect(writes).toEqual([])
  })

  it('a record delivered again writes nothing; a burst of 10 from one side costs each send 4 and the fan-out 3', async () => {
    const { messageGroupUuid, alice } = await pair('recipient-unread')
    const burst: Message[] = []
    for (let i = 0; i < 10; i++) burst.push(await messaging.createMessage({ messageGroupUuid, sender: alice, message: `burst ${i}` }))
    expect(total(writes)).toBe(40)
    writes.length = 0
    await deliver(...burst)
    expect(writes).toEqual([{ operation: 'UpdateItem', table: 1, indexes: inboxKeyChange }]) // already in unread-index
    writes.length = 0
    await deliver(...burst)
    expect(writes).toEqual([])
  })
})
