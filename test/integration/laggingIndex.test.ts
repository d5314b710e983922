import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import {
  createMessaging,
  createStreamHandler,
  StaleIndexError,
  ValidationError,
  type DynamoDBStreamRecord,
  type LostGroupRow,
  type Message
} from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { faultyClient } from '../support/faults.js'
import { deliverLikeLambda, insertRecordOf } from '../support/streamRecords.js'

// DynamoDB Local's index is never behind its table; real GSIs are. A rule answers the index Query from the real engine
// with some owners' rows left out, as a lagging GSI would. Everything else (consistent reads, writes) is real.
const { client: admin, tableName } = await testTable('lagging-index')
const adminDocument = DynamoDBDocumentClient.from(admin)
const messaging = createMessaging({ client: admin, tableName })
const indexReads: string[] = [] // the conversation of each index Query
const tableReads: string[] = [] // the partition of each strongly consistent Query of the table
const faults = faultyClient((name, input) => {
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined
  if (name === 'QueryCommand' && input.IndexName) indexReads.push(String(values?.[':g']))
  if (name === 'QueryCommand' && input.ConsistentRead && values?.[':owner']) tableReads.push(String(values[':owner']))
})
const faulty = faults.client
beforeEach(() => {
  indexReads.length = 0
  tableReads.length = 0
})

/** The index answers its first `reads` Queries without the rows of `hidden` owners (all of them: `Infinity`). */
function hideFromIndex(hidden: string[], reads = Infinity) {
  let left = reads
  faults.rule = async (name, input) => {
    if (name !== 'QueryCommand' || !input.IndexName || left-- <= 0) return undefined
    const real = await adminDocument.send(new QueryCommand(input as never))
    return { answer: { ...real, Items: (real.Items ?? []).filter((item) => !hidden.includes(String(item.pk).slice(4))) } }
  }
}

let sequence = 5000
/**
 * A conversation as the bootcamp code left it (see test/fixtures/seed-layout.json): bare timestamps, no members item,
 * one row per participant describing the other. Then a new message from `from`, stored through the library.
 */
async function bootcampConversation(from: 'andrew' | 'bayko' = 'bayko') {
  const [andrew, bayko] = [user('andrew'), user('bayko')]
  const messageGroupUuid = randomUUID()
  const last = { sk: '2023-03-01T10:00:01.123456+00:00', message: 'Yes, all five seasons.' }
  const row = (owner: typeof andrew, other: typeof andrew) => ({
    pk: `GRP#${owner.uuid}`,
    sk: last.sk,
    message_group_uuid: messageGroupUuid,
    message: last.message,
    user_uuid: other.uuid,
    user_display_name: other.displayName,
    user_handle: other.handle
  })
  const message = (sk: string, sender: typeof andrew, text: string) => ({
    pk: `MSG#${messageGroupUuid}`,
    sk,
    message_uuid: randomUUID(),
    message: text,
    user_uuid: sender.uuid,
    user_display_name: sender.displayName,
    user_handle: sender.handle
  })
  const items = [
    message('2023-03-01T10:00:00+00:00', andrew, 'Have you watched Babylon 5?'),
    message(last.sk, bayko, last.message),
    row(andrew, bayko),
    row(bayko, andrew)
  ]
  await adminDocument.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) } }))
  const sender = from === 'andrew' ? andrew : bayko
  const latest = await messaging.createMessage({ messageGroupUuid, sender, message: `new from ${from}` })
  return { messageGroupUuid, andrew, bayko, latest, record: insertRecordOf(latest, sequence++) }
}

/** Deletes a participant's row from the table itself, as the bootcamp's delete-then-put could lose it for good. */
async function loseRow(owner: { uuid: string }, messageGroupUuid: string) {
  const rows = (await scanAll(admin, tableName)).filter((item) => item.pk === `GRP#${owner.uuid}` && item.message_group_uuid === messageGroupUuid)
  for (const { pk, sk } of rows) await adminDocument.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk } }))
}

/** Every conversation row of the group, read consistently from the table: [owner, sk, message, the user it describes]. */
async function rowsOf(messageGroupUuid: string) {
  return (await scanAll(admin, tableName))
    .filter((item) => item.message_group_uuid === messageGroupUuid)
    .map((item) => [String(item.pk).slice(4), item.sk, item.message, item.user_uuid, item.user_display_name, item.user_handle])
    .sort()
}

const at = (latest: Message, owner: { uuid: string }, other: { uuid: string; displayName: string; handle: string }) => [
  owner.uuid,
  latest.sortKey,
  latest.message,
  other.uuid,
  other.displayName,
  other.handle
]

describe('Pattern D on a bootcamp conversation (no members item) while the index lags', () => {
  it('waits for a row the index hides for a while: both rows end at the new message', async () => {
    const { messageGroupUuid, andrew, bayko, latest, record } = await bootcampConversation()
    hideFromIndex([bayko.uuid], 2)
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1 })
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] })
    expect(indexReads.filter((g) => g === messageGroupUuid)).toHaveLength(3) // two lagging reads, then a full one
    expect(tableReads).toEqual([]) // the index caught up before the last attempt
    expect(await rowsOf(messageGroupUuid)).toEqual([at(latest, andrew, bayko), at(latest, bayko, andrew)].sort())
  })

  it('confirms a row the index hides through every attempt with a consistent read of the table, and moves it', async () => {
    const { messageGroupUuid, andrew, bayko, latest, record } = await bootcampConversation()
    hideFromIndex([bayko.uuid])
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1, maxAttempts: 3 })
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] })
    expect(tableReads).toEqual([`GRP#${bayko.uuid}`]) // on the last attempt only
    expect(await rowsOf(messageGroupUuid)).toEqual([at(latest, andrew, bayko), at(latest, bayko, andrew)].sort())
  })

  it('finds both rows when the index shows none of them, from the sender the record names', async () => {
    const { messageGroupUuid, andrew, bayko, latest, record } = await bootcampConversation()
    hideFromIndex([andrew.uuid, bayko.uuid])
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1, maxAttempts: 2 })
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] })
    expect(tableReads).toEqual([`GRP#${bayko.uuid}`, `GRP#${andrew.uuid}`]) // the sender's row names the other
    expect(await rowsOf(messageGroupUuid)).toEqual([at(latest, andrew, bayko), at(latest, bayko, andrew)].sort())
  })

  it('recreates a row that is truly gone when the record names the participant it describes', async () => {
    // Andrew writes; Bayko's row (which describes Andrew) is gone: the record has Andrew's name and handle.
    const { messageGroupUuid, andrew, bayko, latest, record } = await bootcampConversation('andrew')
    await loseRow(bayko, messageGroupUuid)
    const lost: LostGroupRow[] = []
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1, maxAttempts: 2, onLostRow: (row) => lost.push(row) })
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] })
    expect(lost).toEqual([])
    expect(await rowsOf(messageGroupUuid)).toEqual([at(latest, andrew, bayko), at(latest, bayko, andrew)].sort())
  })

  it('moves the rows that exist and reports a truly lost row it cannot rebuild', async () => {
    // Bayko writes; Bayko's own row (which describes Andrew) is gone, and nothing read says Andrew's name or handle.
    const { messageGroupUuid, andrew, bayko, latest, record } = await bootcampConversation('bayko')
    await loseRow(bayko, messageGroupUuid)
    const lost: LostGroupRow[] = []
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1, maxAttempts: 2, onLostRow: (row) => lost.push(row) })
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] })
    expect(lost).toEqual([{ messageGroupUuid, ownerUuid: bayko.uuid, otherUserUuid: andrew.uuid }])
    expect(await rowsOf(messageGroupUuid)).toEqual([at(latest, andrew, bayko)])
  })

  it('reports recreated and lost rows in the result of updateMessageGroups', async () => {
    const one = await bootcampConversation('andrew')
    await loseRow(one.bayko, one.messageGroupUuid)
    const faultyMessaging = createMessaging({ client: faulty, tableName })
    expect(await faultyMessaging.updateMessageGroups(one.latest, { baseDelayMs: 1, maxAttempts: 2 })).toMatchObject({
      moved: 1,
      removed: 0,
      recreated: 1,
      lost: [],
      owners: [one.andrew.uuid, one.bayko.uuid].sort()
    })
    const two = await bootcampConversation('bayko')
    await loseRow(two.bayko, two.messageGroupUuid)
    expect(await faultyMessaging.updateMessageGroups(two.latest, { baseDelayMs: 1, maxAttempts: 2 })).toMatchObject({
      moved: 1,
      removed: 0,
      recreated: 0,
      lost: [{ messageGroupUuid: two.messageGroupUuid, ownerUuid: two.bayko.uuid, otherUserUuid: two.andrew.uuid }],
      owners: [two.andrew.uuid]
    })
  })

  it('rejects a sender that is not one, without writing', async () => {
    const { latest } = await bootcampConversation()
    const before = await scanAll(admin, tableName)
    const error = await messaging
      .updateMessageGroups({ ...latest, userUuid: 'nope', displayName: 7 as never, handle: null as never })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.code)).toEqual(['user_uuid_invalid', 'display_name_invalid', 'handle_invalid'])
    expect(await scanAll(admin, tableName)).toEqual(before)
  })

  it('fails the record while nobody can be named, then converges when Lambda redelivers after the index catches up', async () => {
    const { messageGroupUuid, andrew, bayko, latest, record } = await bootcampConversation()
    // A message image without its sender (written by other code): the index is the only source of participants.
    const anonymous = structuredClone(record) as DynamoDBStreamRecord
    delete anonymous.dynamodb!.NewImage!.user_uuid
    hideFromIndex([andrew.uuid, bayko.uuid], 3)
    const before = await rowsOf(messageGroupUuid)
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1, maxAttempts: 2 })
    const errors: unknown[] = []
    const first = await createStreamHandler({ client: faulty, tableName, baseDelayMs: 1, maxAttempts: 2, onError: (e) => errors.push(e) })({
      Records: [anonymous]
    })
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: anonymous.dynamodb!.SequenceNumber }])
    expect(errors[0]).toBeInstanceOf(StaleIndexError)
    expect(await rowsOf(messageGroupUuid)).toEqual(before) // nothing written while uncertain
    expect(await deliverLikeLambda(handler, [anonymous])).toBe(1) // the index has caught up by now
    expect(await rowsOf(messageGroupUuid)).toEqual([at(latest, andrew, bayko), at(latest, bayko, andrew)].sort())
  })
})

describe('Pattern D on a conversation with a members item while the index lags', () => {
  it('recreates a truly lost row from the members item', async () => {
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob' })
    const latest = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'still there?' })
    await loseRow(alice, messageGroupUuid) // Alice's row describes Bob, who did not send the message
    const handler = createStreamHandler({ client: faulty, tableName, baseDelayMs: 1, maxAttempts: 2 })
    expect(await handler({ Records: [insertRecordOf(latest, sequence++)] })).toEqual({ batchItemFailures: [] })
    expect(await rowsOf(messageGroupUuid)).toEqual([at(latest, alice, bob), at(latest, bob, alice)].sort())
  })
})
