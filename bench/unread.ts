import { randomUUID } from 'node:crypto'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createMessaging, createStreamHandler, messageGroupPk, messagePk, messageSk, type Message } from '../src/index.js'
import { meterCapacity } from '../src/cli/capacityMeter.js'
import { insertRecordOf } from '../test/support/streamRecords.js'
import { batchPut, clientFor, createTable, person } from './engine.js'
import { fmt, type Figure } from './report.js'
import { ulid } from 'ulid'

const SECTION = '8. Unread counts and read markers'

/**
 * What the unread counts cost besides the fan-out (section 11 bills that): markRead, countUnread for a user with few
 * or many conversations, and the recount a redelivered record costs. Capacity as DynamoDB Local reports it.
 */
export async function benchUnread(endpoint: string, options: { conversations: number }): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const meter = meterCapacity(client, { level: 'INDEXES' })
  const writeRequests: string[] = []
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName)
      if (/^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(name)) writeRequests.push(name)
      return next(args)
    },
    { step: 'initialize', name: 'benchUnreadCounter' }
  )
  const doc = DynamoDBDocumentClient.from(client)
  const tableName = await createTable(client, 'unread')
  const messaging = createMessaging({ client, tableName })
  const handler = createStreamHandler({ client, tableName })
  let sequence = 1
  const deliver = (sent: Message[]) => handler({ Records: sent.map((m) => insertRecordOf(m, sequence++)) })
  const figures: Figure[] = []
  const figure = (name: string, measured: string, goal: string, met?: boolean) =>
    figures.push({ section: SECTION, figure: name, measured, goal, ...(met !== undefined && { met }) })

  // markRead: one conditional UpdateItem; a repeat writes nothing.
  {
    const [alice, bob] = [person('alice'), person('bob')]
    const { messageGroupUuid, message } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
    await deliver([message, await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'two' })])
    const measure = async () => {
      meter.reset()
      writeRequests.length = 0
      await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
      return { ...meter.snapshot(), writes: [...writeRequests] }
    }
    const first = await measure()
    const repeat = await measure()
    figure(
      'markRead: writes per call',
      `${first.writes.length} (${first.writes.join(', ')}); a repeat: ${repeat.writes.length}`,
      'one conditional write',
      first.writes.length === 1 && first.writes[0] === 'UpdateItemCommand' && repeat.writes.length === 0
    )
    figure(
      'markRead: capacity units',
      `${fmt(first.readUnits)} RCU, ${fmt(first.writeUnits)} WCU (the row 1, its inbox-index entry 1, leaving unread-index 1); a repeat: ${fmt(repeat.readUnits)} RCU`,
      'reported'
    )
  }

  // countUnread: a user with few or many conversations, the same few of them unread.
  {
    const badge = async (conversations: number) => {
      const owner = person('owner')
      const rows = Array.from({ length: conversations }, (_, i) => conversationRow(owner.uuid, i, i < 5 ? 3 : 0))
      await batchPut(doc, tableName, rows)
      meter.reset()
      const totals = await messaging.countUnread({ userUuid: owner.uuid })
      if (totals.messages !== 15) throw new Error(`countUnread found ${totals.messages} messages, not 15`)
      return meter.snapshot().readUnits
    }
    const few = await badge(10)
    const many = await badge(options.conversations)
    figure('countUnread: read units, 5 conversations unread', `${fmt(few)} → ${fmt(many)} RCU (10 → ${options.conversations} conversations)`, 'same read units', few === many)
  }

  // A redelivered record: the row is already past it, so its owner's count is taken again from the marker.
  {
    const recount = async (unread: number) => {
      const [alice, bob] = [person('alice'), person('bob')]
      const { messageGroupUuid, message } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
      const sent: Message[] = [message]
      for (let i = 1; i < unread; i++) sent.push(await messaging.createMessage({ messageGroupUuid, sender: alice, message: `message ${i} of a conversation Bob has not opened` }))
      await deliver(sent)
      meter.reset()
      await deliver([sent.at(-1)!])
      return meter.snapshot().readUnits
    }
    const small = await recount(10)
    const large = await recount(200)
    figure('a redelivered record: read units of the recount', `${fmt(small)} → ${fmt(large)} RCU (10 → 200 unread messages)`, 'reported (grows with the unread messages, up to the count cap of 100)')
  }
  client.destroy()
  return figures
}

/** One of `owner`'s conversation rows, with `unread` messages unread (in unread-index when more than 0). */
function conversationRow(owner: string, i: number, unread: number): Record<string, unknown> {
  const group = randomUUID()
  const other = randomUUID()
  const lastSk = messageSk(new Date(Date.UTC(2026, 0, 1) + i * 1000), ulid())
  return {
    pk: messageGroupPk(owner),
    sk: messagePk(group),
    last_sk: lastSk,
    message: `conversation ${i}`,
    user_uuid: other,
    user_display_name: 'Other',
    user_handle: 'other',
    unread_count: unread,
    rev: 1,
    ...(unread > 0 ? { unread_owner_uuid: owner } : { last_read_sk: lastSk })
  }
}
