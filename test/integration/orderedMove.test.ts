import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { createMessaging, createStreamHandler, type Message } from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { awsError, faultyClient } from '../support/faults.js'
import { validationCodes, validationCodesWithoutWrites } from '../support/rejections.js'
import { startLocalStreamWorker } from '../../src/local/index.js'
import { deliverLikeLambda, insertRecordOf } from '../support/streamRecords.js'

// The ordered move (rowMove: 'ordered'): conditional puts of the new rows, then conditional deletes of the old, as
// plain requests. Against DynamoDB Local, with the interleavings forced by fault rules that run another writer (or
// fail a request) at the exact step: a crash between the put and the delete, a markRead landing on the old row or on
// the new one in between, and concurrent movers of the same conversation. Each ends with every participant holding
// exactly one row, at the newest message, with the exact unread count; none moves back.
const { client: admin, tableName } = await testTable('ordered-move')
const messaging = createMessaging({ client: admin, tableName })
const seen: string[] = []
const faults = faultyClient((name) => seen.push(name))
const ordered = createStreamHandler({ client: faults.client, tableName, rowMove: 'ordered', baseDelayMs: 1 })
const racing = createMessaging({ client: faults.client, tableName })

let sequence = 1
/** Alice starts a conversation with Bob and sends `more` messages the stream has not applied (the first is applied). */
async function conversation(more = 1) {
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid, message: first } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  const sent: Message[] = []
  for (let i = 0; i < more; i++) sent.push(await messaging.createMessage({ messageGroupUuid, sender: alice, message: `more ${i}` }))
  return { messageGroupUuid, alice, bob, first, sent }
}

/**
 * markRead through a view that still shows only Bob's old row (a lagging index): it marks that row read up to `upTo`
 * (at or below the row), as markRead writes a row with nothing unread after the marker.
 */
async function markOldRowRead(c: Awaited<ReturnType<typeof conversation>>, upTo: string) {
  await admin.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk: `GRP#${c.bob.uuid}`, sk: c.first.sortKey },
      ConditionExpression: 'attribute_exists(pk)',
      UpdateExpression: 'SET last_read_sk = :sk, unread_count = :zero REMOVE unread_owner_uuid',
      ExpressionAttributeValues: { ':sk': upTo, ':zero': 0 }
    })
  )
}

/** Each participant's rows of the conversation, read from the table itself. */
async function rowsOf(messageGroupUuid: string) {
  const rows = (await scanAll(admin, tableName)).filter((item) => item.message_group_uuid === messageGroupUuid && String(item.pk).startsWith('GRP#'))
  return rows
    .map((row) => ({ pk: String(row.pk), sk: String(row.sk), last_read_sk: row.last_read_sk, unread_count: row.unread_count }))
    .sort((x, y) => x.pk.localeCompare(y.pk) || x.sk.localeCompare(y.sk))
}

/** What the rows must end as: one per participant at `newest`; Bob's count is Alice's messages after his marker. */
const settled = (c: Awaited<ReturnType<typeof conversation>>, newest: string, bob: { marker?: string; unread: number }) =>
  [
    { pk: `GRP#${c.alice.uuid}`, sk: newest, last_read_sk: newest, unread_count: 0 },
    { pk: `GRP#${c.bob.uuid}`, sk: newest, last_read_sk: bob.marker, unread_count: bob.unread }
  ].sort((x, y) => x.pk.localeCompare(y.pk))

describe('rowMove: ordered', () => {
  it('moves a lone message with two puts and two deletes, no transaction, to the same rows the transaction writes', async () => {
    const c = await conversation()
    seen.length = 0
    expect(await ordered({ Records: [insertRecordOf(c.sent[0]!, sequence++)] })).toEqual({ batchItemFailures: [] })
    const writes = seen.filter((name) => /Put|Delete|Update|Transact/.test(name))
    expect(writes.sort()).toEqual(['DeleteItemCommand', 'DeleteItemCommand', 'PutItemCommand', 'PutItemCommand'])
    expect(await rowsOf(c.messageGroupUuid)).toEqual(settled(c, c.sent[0]!.sortKey, { unread: 2 }))

    // The same history through the transaction gives the same rows.
    const t = await conversation()
    await createStreamHandler({ client: admin, tableName })({ Records: [insertRecordOf(t.sent[0]!, sequence++)] })
    const shape = (rows: Awaited<ReturnType<typeof rowsOf>>) =>
      rows.map(({ last_read_sk, unread_count }) => ({ marker: last_read_sk !== undefined, unread_count })).sort((x, y) => Number(x.marker) - Number(y.marker))
    expect(shape(await rowsOf(t.messageGroupUuid))).toEqual(shape(await rowsOf(c.messageGroupUuid)))
  })

  it('a crash between the puts and the deletes leaves both rows, which Pattern B lists once; the redelivery folds them', async () => {
    const c = await conversation(2)
    let failed = false
    faults.rule = (name) => {
      if (name !== 'DeleteItemCommand' || failed) return undefined
      failed = true
      return { fail: awsError('TimeoutError', { $fault: 'client' }) }
    }
    const record = insertRecordOf(c.sent[1]!, sequence++)
    const first = await ordered({ Records: [record] })
    expect(first.batchItemFailures).toHaveLength(1)
    // In the window: the new rows are written, and (at least) the one old row whose delete failed is still there.
    const during = await rowsOf(c.messageGroupUuid)
    expect(during.filter((row) => row.sk === c.sent[1]!.sortKey)).toHaveLength(2)
    expect(during.length).toBeGreaterThan(2)
    for (const person of [c.alice, c.bob]) {
      const listed = (await messaging.listMessageGroups({ userUuid: person.uuid })).items
      expect(listed.map((group) => [group.messageGroupUuid, group.sortKey])).toEqual([[c.messageGroupUuid, c.sent[1]!.sortKey]])
    }
    faults.rule = () => undefined
    await deliverLikeLambda(ordered, [record])
    expect(await rowsOf(c.messageGroupUuid)).toEqual(settled(c, c.sent[1]!.sortKey, { unread: 3 }))
  })

  it('a crash between the puts and the deletes, then a markRead on the old row: the redelivery keeps the newer marker', async () => {
    const c = await conversation(2)
    let failed = false
    faults.rule = (name, input) => {
      if (name !== 'DeleteItemCommand' || failed || (input.Key as { pk?: string }).pk !== `GRP#${c.bob.uuid}`) return undefined
      failed = true
      return { fail: awsError('TimeoutError', { $fault: 'client' }) }
    }
    const record = insertRecordOf(c.sent[1]!, sequence++)
    expect((await ordered({ Records: [record] })).batchItemFailures).toHaveLength(1)
    faults.rule = () => undefined
    // Bob has both rows: the new one counts all three of Alice's messages, never read; he reads the first on the old.
    const bobs = async () => (await rowsOf(c.messageGroupUuid)).filter((row) => row.pk === `GRP#${c.bob.uuid}`)
    expect((await bobs()).map((row) => [row.sk, row.last_read_sk, row.unread_count])).toEqual([
      [c.first.sortKey, undefined, 1],
      [c.sent[1]!.sortKey, undefined, 3]
    ])
    await markOldRowRead(c, c.first.sortKey)
    await deliverLikeLambda(ordered, [record])
    // One row, at the newest message, read up to the first: the two messages after it are unread, not three.
    expect(await rowsOf(c.messageGroupUuid)).toEqual(settled(c, c.sent[1]!.sortKey, { marker: c.first.sortKey, unread: 2 }))
    expect(await messaging.countUnread({ userUuid: c.bob.uuid })).toEqual({ conversations: 1, messages: 2 })
  })

  it('a markRead that lands on the old row between the put and the delete survives: the new row is undone and re-planned', async () => {
    const c = await conversation(1)
    let raced = false
    faults.rule = async (name, input) => {
      const key = input.Key as { pk?: string } | undefined
      if (name !== 'DeleteItemCommand' || raced || key?.pk !== `GRP#${c.bob.uuid}`) return undefined
      raced = true
      await markOldRowRead(c, c.first.sortKey)
      return undefined
    }
    expect(await ordered({ Records: [insertRecordOf(c.sent[0]!, sequence++)] })).toEqual({ batchItemFailures: [] })
    expect(raced).toBe(true)
    expect(await rowsOf(c.messageGroupUuid)).toEqual(settled(c, c.sent[0]!.sortKey, { marker: c.first.sortKey, unread: 1 }))
  })

  it('a crash of one participant\'s delete waits for the other\'s compensation, so the redelivery cannot race it', async () => {
    const c = await conversation(1)
    let redeliveryRead: () => void = () => {}
    const read = new Promise<void>((resolve) => (redeliveryRead = resolve))
    let [compensating, crashed, marked] = [false, false, false]
    faults.rule = async (name, input) => {
      const pk = (input.Key as { pk?: string } | undefined)?.pk
      // Alice's delete dies; Bob's old row is marked read first, so his delete fails and his new row is undone.
      if (name === 'DeleteItemCommand' && pk === `GRP#${c.alice.uuid}` && !crashed) {
        crashed = true
        return { fail: awsError('TimeoutError', { $fault: 'client' }) }
      }
      if (name === 'DeleteItemCommand' && pk === `GRP#${c.bob.uuid}` && !marked) {
        marked = true
        await markOldRowRead(c, c.first.sortKey)
      }
      if (name === 'TransactWriteItemsCommand' && !compensating) {
        // The compensation goes out once a redelivery has read the rows (or after 300 ms, if none comes meanwhile).
        compensating = true
        await Promise.race([read, new Promise((resolve) => setTimeout(resolve, 300))])
      }
      if (name === 'QueryCommand' && compensating) return { holdResponse: async () => redeliveryRead() }
      return undefined
    }
    const record = insertRecordOf(c.sent[0]!, sequence++)
    expect((await ordered({ Records: [record] })).batchItemFailures).toHaveLength(1)
    await deliverLikeLambda(ordered, [record])
    expect(compensating).toBe(true)
    expect(await rowsOf(c.messageGroupUuid)).toEqual(settled(c, c.sent[0]!.sortKey, { marker: c.first.sortKey, unread: 1 }))
  })

  it('a markRead that lands on the new row between the put and the delete survives the delete', async () => {
    const c = await conversation(1)
    let raced = false
    faults.rule = async (name) => {
      if (name !== 'DeleteItemCommand' || raced) return undefined
      raced = true
      await messaging.markRead({ messageGroupUuid: c.messageGroupUuid, userUuid: c.bob.uuid }) // finds the newest row
      return undefined
    }
    expect(await ordered({ Records: [insertRecordOf(c.sent[0]!, sequence++)] })).toEqual({ batchItemFailures: [] })
    expect(await rowsOf(c.messageGroupUuid)).toEqual(settled(c, c.sent[0]!.sortKey, { marker: c.sent[0]!.sortKey, unread: 0 }))
  })

  it('a mover that finds its old row deleted by a newer mover keeps nothing behind and never moves back', async () => {
    const c = await conversation(2)
    const [older, newer] = c.sent as [Message, Message]
    let held = false
    faults.rule = async (name) => {
      if (name !== 'DeleteItemCommand' || held) return undefined
      held = true
      // The older move has put its rows; a newer move (a repair, another updateMessageGroups) runs to the end now.
      await messaging.updateMessageGroups(newer, { rowMove: 'ordered' })
      return undefined
    }
    const result = await racing.updateMessageGroups(older, { rowMove: 'ordered', baseDelayMs: 1 })
    expect(result.owners.sort()).toEqual([c.alice.uuid, c.bob.uuid].sort())
    expect(await rowsOf(c.messageGroupUuid)).toEqual(settled(c, newer.sortKey, { unread: 3 }))
  })

  it('a mover whose old row a concurrent mover to the same message removed keeps its new row (no compensation)', async () => {
    const c = await conversation(1)
    let held = false
    faults.rule = async (name, input) => {
      if (name !== 'DeleteItemCommand' || held || (input.Key as { pk?: string }).pk !== `GRP#${c.bob.uuid}`) return undefined
      held = true
      // Our new rows exist; the other mover sees Bob's old and new rows, keeps the new (same message), deletes the old.
      const bobs = async () => (await rowsOf(c.messageGroupUuid)).filter((row) => row.pk === `GRP#${c.bob.uuid}`).map((row) => row.sk)
      expect(await bobs()).toEqual([c.first.sortKey, c.sent[0]!.sortKey])
      await messaging.updateMessageGroups(c.sent[0]!, { rowMove: 'ordered' })
      expect(await bobs()).toEqual([c.sent[0]!.sortKey]) // the old row is gone: this mover's delete will fail
      return undefined
    }
    await racing.updateMessageGroups(c.sent[0]!, { rowMove: 'ordered', baseDelayMs: 1 })
    expect(held).toBe(true)
    expect(await rowsOf(c.messageGroupUuid)).toEqual(settled(c, c.sent[0]!.sortKey, { unread: 2 }))
  })

  it('concurrent movers of one conversation, through both moves, converge on the newest message', async () => {
    for (let round = 0; round < 8; round++) {
      const c = await conversation(4)
      const moves = c.sent.map((message, i) =>
        messaging.updateMessageGroups(message, { rowMove: i % 2 === 0 ? 'ordered' : 'transaction', baseDelayMs: 1, maxAttempts: 20 })
      )
      await Promise.all([...moves, messaging.markRead({ messageGroupUuid: c.messageGroupUuid, userUuid: c.bob.uuid, upTo: c.sent[1]!.sortKey }).catch(() => undefined)])
      // Whatever the order, one row each at the newest message; Bob's count follows his marker.
      const rows = await rowsOf(c.messageGroupUuid)
      expect(rows.map((row) => [row.pk, row.sk])).toEqual(settled(c, c.sent[3]!.sortKey, { unread: 0 }).map((row) => [row.pk, row.sk]))
      const bob = rows.find((row) => row.pk === `GRP#${c.bob.uuid}`)!
      const after = [c.first, ...c.sent].filter((m) => bob.last_read_sk === undefined || m.sortKey > String(bob.last_read_sk))
      expect(bob.unread_count).toBe(after.length)
    }
  })

  it('refuses an unknown rowMove or a non-boolean unreadCounts with a ValidationError, writing nothing', async () => {
    const c = await conversation(1)
    expect(await validationCodesWithoutWrites(admin, tableName, () => messaging.updateMessageGroups(c.sent[0]!, { rowMove: 'fast' as never, unreadCounts: 'no' as never }))).toEqual([
      'row_move_invalid',
      'unread_counts_invalid'
    ])
    expect(() => createStreamHandler({ client: admin, tableName, rowMove: 'both' as never })).toThrow(/rowMove/)
    // The local worker's rowMove configures its default handler: beside a handler of one's own it would be ignored.
    const own = createStreamHandler({ client: admin, tableName })
    expect(await validationCodes(() => startLocalStreamWorker({ client: admin, tableName, handler: own, rowMove: 'ordered' }))).toEqual(['row_move_invalid'])
    expect(await validationCodes(() => startLocalStreamWorker({ client: admin, tableName, unreadCounts: 0 as never }))).toEqual(['unread_counts_invalid'])
  })
})

describe('unreadCounts: false', () => {
  it('moves rows without read state or unread-index entries, and skips the read of the new messages', async () => {
    const c = await conversation(1)
    await createStreamHandler({ client: admin, tableName, rowMove: 'ordered' })({ Records: [insertRecordOf(c.sent[0]!, sequence++)] })
    const d = await conversation(1)
    seen.length = 0
    const handler = createStreamHandler({ client: faults.client, tableName, rowMove: 'ordered', unreadCounts: false })
    expect(await handler({ Records: [insertRecordOf(d.sent[0]!, sequence++)] })).toEqual({ batchItemFailures: [] })
    // One index read, no consistent read of MSG#.
    expect(seen.filter((name) => name === 'QueryCommand')).toHaveLength(1)
    const rows = (await scanAll(admin, tableName)).filter((item) => item.message_group_uuid === d.messageGroupUuid && String(item.pk).startsWith('GRP#'))
    expect(rows.map((row) => [row.sk, row.unread_count, row.unread_owner_uuid, row.last_read_sk])).toEqual([
      [d.sent[0]!.sortKey, undefined, undefined, undefined],
      [d.sent[0]!.sortKey, undefined, undefined, undefined]
    ])
    expect(await messaging.countUnread({ userUuid: d.bob.uuid })).toEqual({ conversations: 0, messages: 0 })
  })
})
