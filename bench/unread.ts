import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { randomUUID } from 'node:crypto'
import { ulid } from 'ulid'
import {
  createMessaging,
  createStreamHandler,
  MESSAGE_GROUP_INDEX,
  messageGroupPk,
  messageGroupUuidFor,
  messageSk,
  planGroupUpdate,
  tableDefinition,
  UNREAD_INDEX,
  type Message,
  type StoredMessageGroupRow
} from '../src/index.js'
import { meterCapacity } from '../src/cli/capacityMeter.js'
import { insertRecordOf } from '../test/support/streamRecords.js'
import { batchPut, clientFor, person } from './engine.js'
import { fmt, type Figure } from './report.js'

const SECTION = '8. Unread counts and read markers'

/**
 * Figure 6: what the unread counts cost. The fan-out with counts (the library) beside Pattern D without them (0.1.0's
 * algorithm: index read, then the same transaction, on a table without unread-index); markRead; countUnread for a
 * user with few or many conversations; the recount a redelivered record costs.
 */
export async function benchUnread(endpoint: string, options: { conversations: number }): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const meter = meterCapacity(client, { level: 'INDEXES' })
  const transactItems: number[] = []
  const writeRequests: string[] = []
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName)
      if (/^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(name)) writeRequests.push(name)
      if (name === 'TransactWriteItemsCommand') transactItems.push(((args.input as { TransactItems?: unknown[] }).TransactItems ?? []).length)
      return next(args)
    },
    { step: 'initialize', name: 'benchUnreadCounter' }
  )
  const doc = DynamoDBDocumentClient.from(client)
  const withIndex = await table(client, 'unread', true)
  const withoutIndex = await table(client, 'unread-010', false)
  const figures: Figure[] = []
  const figure = (name: string, measured: string, goal: string, met?: boolean) =>
    figures.push({ section: SECTION, figure: name, measured, goal, ...(met !== undefined && { met }) })

  /**
   * One conversation on `tableName` (rows in the steady shape `apply` leaves them in), then `burst` messages from Bob
   * applied at once: the capacity DynamoDB Local reported, the items the transaction wrote, and what AWS bills for
   * them: 2 WCU per transactional item under 1 KB, plus 1 WCU per index entry added or removed. (DynamoDB Local's own
   * transaction figures are unreliable; see docs/benchmarks.md.)
   */
  const fanOut = async (tableName: string, apply: (sent: Message[]) => Promise<unknown>, burst: number, indexes: string[]) => {
    const messaging = createMessaging({ client, tableName })
    const [alice, bob] = [person('alice'), person('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
    await apply([await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'warm up' })])
    const sent: Message[] = []
    for (let i = 0; i < burst; i++) sent.push(await messaging.createMessage({ messageGroupUuid, sender: bob, message: `m${i}` }))
    const before = await rowsOf(doc, tableName, messageGroupUuid)
    meter.reset()
    transactItems.length = 0
    await apply(sent)
    const local = meter.snapshot()
    const after = await rowsOf(doc, tableName, messageGroupUuid)
    const keys = (rows: Record<string, unknown>[]) => new Set(rows.map((row) => `${row.pk} ${row.sk}`))
    const [kept, made] = [keys(after), keys(before)]
    const changed = [...before.filter((row) => !kept.has(`${row.pk} ${row.sk}`)), ...after.filter((row) => !made.has(`${row.pk} ${row.sk}`))]
    const entries = (index: string) => changed.filter((row) => (index === UNREAD_INDEX ? row.unread_owner_uuid : row.message_group_uuid) !== undefined).length
    const items = transactItems.reduce((a, b) => a + b, 0)
    const indexEntries = Object.fromEntries(indexes.map((index) => [index, entries(index)]))
    return { local, items, indexEntries, billed: 2 * items + Object.values(indexEntries).reduce((a, b) => a + b, 0) }
  }
  const withCounts = (tableName: string) => {
    const handler = createStreamHandler({ client, tableName })
    return (sent: Message[]) => handler({ Records: sent.map((m, i) => insertRecordOf(m, i + 1)) })
  }
  const withoutCounts = (tableName: string) => (sent: Message[]) => patternDWithoutCounts(doc, tableName, sent.at(-1)!)

  for (const burst of [1, 100]) {
    const ours = await fanOut(withIndex, withCounts(withIndex), burst, [MESSAGE_GROUP_INDEX, UNREAD_INDEX])
    const before = await fanOut(withoutIndex, withoutCounts(withoutIndex), burst, [MESSAGE_GROUP_INDEX])
    const what = burst === 1 ? 'one message' : `a burst of ${burst} in one batch`
    figure(`${what}, stream fan-out: items written`, `${ours.items} with counts vs ${before.items} without`, '≤ without counts', ours.items <= before.items)
    figure(
      `${what}, stream fan-out: WCU billed on AWS (computed from the writes)`,
      `${ours.billed} with counts (${ours.items} items × 2, index entries ${JSON.stringify(ours.indexEntries)}) vs ${before.billed} without (${JSON.stringify(before.indexEntries)})`,
      'reported: the unread-index entries of the row with something unread'
    )
    figure(
      `${what}, stream fan-out: read units`,
      `${fmt(ours.local.readUnits)} with counts vs ${fmt(before.local.readUnits)} without`,
      'reported: one strongly consistent read of the new messages (1 RCU per 4 KB of them)'
    )
  }

  // markRead: one conditional UpdateItem; a repeat writes nothing.
  {
    const messaging = createMessaging({ client, tableName: withIndex })
    const handler = withCounts(withIndex)
    const [alice, bob] = [person('alice'), person('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
    await handler([await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'two' })])
    meter.reset()
    writeRequests.length = 0
    await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
    const first = { ...meter.snapshot(), writes: [...writeRequests] }
    meter.reset()
    writeRequests.length = 0
    await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
    const repeat = { ...meter.snapshot(), writes: [...writeRequests] }
    figure(
      'markRead: writes per call',
      `${first.writes.length} (${first.writes.join(', ')}); a repeat: ${repeat.writes.length}`,
      'one conditional write',
      first.writes.length === 1 && first.writes[0] === 'UpdateItemCommand' && repeat.writes.length === 0
    )
    figure(
      'markRead: capacity units',
      `${fmt(first.readUnits)} RCU, ${fmt(first.writeUnits)} WCU (row + its index entries); a repeat: ${fmt(repeat.readUnits)} RCU`,
      'reported'
    )
  }

  // countUnread: a user with few or many conversations, the same few of them unread.
  {
    const badge = async (conversations: number) => {
      const owner = person('owner')
      const rows = Array.from({ length: conversations }, (_, i) => conversationRow(owner.uuid, i, i < 5 ? 3 : 0))
      await batchPut(doc, withIndex, rows)
      const messaging = createMessaging({ client, tableName: withIndex })
      meter.reset()
      const totals = await messaging.countUnread({ userUuid: owner.uuid })
      if (totals.messages !== 15) throw new Error(`countUnread found ${totals.messages} messages, not 15`)
      return meter.snapshot().readUnits
    }
    const few = await badge(10)
    const many = await badge(options.conversations)
    figure(
      'countUnread: read units, 5 conversations unread',
      `${fmt(few)} → ${fmt(many)} RCU (10 → ${options.conversations} conversations)`,
      'same read units',
      few === many
    )
  }

  // A redelivered record: the row is already past it, so its owner's count is taken again from the marker.
  {
    const recount = async (unread: number) => {
      const messaging = createMessaging({ client, tableName: withIndex })
      const handler = withCounts(withIndex)
      const [alice, bob] = [person('alice'), person('bob')]
      const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
      const sent: Message[] = []
      for (let i = 1; i < unread; i++) sent.push(await messaging.createMessage({ messageGroupUuid, sender: alice, message: `message ${i} of a conversation Bob has not opened` }))
      await handler(sent)
      meter.reset()
      await handler([sent.at(-1)!])
      return meter.snapshot().readUnits
    }
    const small = await recount(10)
    const large = await recount(200)
    figure('a redelivered record: read units of the recount', `${fmt(small)} → ${fmt(large)} RCU (10 → 200 unread messages)`, 'reported (grows with the unread messages)')
  }
  client.destroy()
  return figures
}

/** A table from tableDefinition(), or as 0.1.0 made it (no unread-index). */
async function table(client: DynamoDBClient, label: string, unreadIndex: boolean): Promise<string> {
  const tableName = `bench-${label}-${randomUUID().slice(0, 6)}`
  const definition = tableDefinition({ tableName, billing: 'on-demand' })
  await client.send(
    new CreateTableCommand(
      unreadIndex
        ? definition
        : {
            ...definition,
            AttributeDefinitions: definition.AttributeDefinitions!.filter((a) => a.AttributeName !== 'unread_owner_uuid'),
            GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes!.filter((index) => index.IndexName !== UNREAD_INDEX)
          }
    )
  )
  return tableName
}

/** Pattern D as 0.1.0 did it: the index read, then the moves in one conditional transaction, without counts. */
async function patternDWithoutCounts(doc: DynamoDBDocumentClient, tableName: string, latest: Message): Promise<void> {
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: MESSAGE_GROUP_INDEX,
      KeyConditionExpression: 'message_group_uuid = :g',
      ExpressionAttributeValues: { ':g': latest.messageGroupUuid }
    })
  )
  const plan = planGroupUpdate(Items as StoredMessageGroupRow[], latest)
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [
        ...plan.deletes.map((Key) => ({ Delete: { TableName: tableName, Key, ConditionExpression: 'attribute_exists(pk)' } })),
        ...plan.puts.map((Item) => ({ Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } }))
      ]
    })
  )
}

/** One of `owner`'s conversation rows, with `unread` messages unread (in unread-index when more than 0). */
function conversationRow(owner: string, i: number, unread: number): Record<string, unknown> {
  const other = randomUUID()
  const sk = messageSk(new Date(Date.UTC(2026, 0, 1) + i * 1000), ulid())
  return {
    pk: messageGroupPk(owner),
    sk,
    message_group_uuid: messageGroupUuidFor(owner, other),
    message: `conversation ${i}`,
    user_uuid: other,
    user_display_name: 'Other',
    user_handle: 'other',
    unread_count: unread,
    ...(unread > 0 ? { unread_owner_uuid: owner } : { last_read_sk: sk })
  }
}

/** The conversation's rows (DynamoDB Local's index is never behind its table). */
async function rowsOf(doc: DynamoDBDocumentClient, tableName: string, messageGroupUuid: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: MESSAGE_GROUP_INDEX,
      KeyConditionExpression: 'message_group_uuid = :g',
      ExpressionAttributeValues: { ':g': messageGroupUuid }
    })
  )
  return Items
}
