import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { createMessaging, createStreamHandler, rowKey, type Message, type MessagingClient, type Participant } from '../src/index.js'
import { createStoreContext } from '../src/createStoreContext.js'
import { assertMember } from '../src/conversations/membership.js'
import { batchGetItems } from '../src/table/batchGetItems.js'
import { startLocalStreamWorker } from '../src/local/index.js'
import { insertRecordOf } from '../test/support/streamRecords.js'
import { clientFor, createTable, person } from './engine.js'
import { sumUnits } from './billing/billRequest.js'
import { recordRequests } from './billing/recordRequests.js'
import { meterOperations, type OperationUsage } from './operationMeter.js'
import { fmt, type Figure } from './report.js'
import { createSeedsTable, seedsSendMessage, seedsStreamFunction } from './seedsAlgorithm.js'

const SECTION = '13. Groups: fan-out, bursts, a 1,000-member group, Pattern B and membership (issue 19)'

export interface GroupBenchOptions {
  /** Members of the group the per-member fan-out is measured in. */
  fanOutMembers: number
  /** Members of the group the burst goes into (the goal's 100). */
  burstMembers: number
  /** Members of the large group delivered through DynamoDB Local's stream (the goal's 1,000). */
  largeMembers: number
  /** Conversations of the busy user of Pattern B (the goal's 500), against a user in 20. */
  conversations: number
}

/**
 * Issue 19's goals, in DynamoDB Local's own `ReturnConsumedCapacity: INDEXES` figures: the stream fan-out's write units
 * per member (a member who had something unread, one whose count leaves 0) beside the seeds' algorithm on a group of
 * the same size; what `countUnread` reads; a burst of 10 into a 100-member group against 10 lone messages; one message
 * into a large group through DynamoDB Local's stream and `createStreamHandler` with its defaults; Pattern B's first
 * page for a busy user; the membership check in a large group.
 */
export async function benchGroups(endpoint: string, options: GroupBenchOptions): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const meter = meterOperations(client)
  const tableName = await createTable(client, 'groups')
  const messaging = createMessaging({ client, tableName })
  const handler = createStreamHandler({ client, tableName })
  let sequence = 1
  const deliver = async (sent: Message[]) => {
    const { batchItemFailures } = await handler({ Records: sent.map((message) => insertRecordOf(message, sequence++)) })
    if (batchItemFailures.length > 0) throw new Error(`the stream handler failed ${batchItemFailures.length} records`)
  }
  const figures: Figure[] = []
  const figure = (name: string, measured: string, goal: string, met?: boolean) => figures.push({ section: SECTION, figure: name, measured, goal, ...(met !== undefined && { met }) })
  const group = async (size: number, label: string) => {
    const members = Array.from({ length: size }, (_, i) => person(`${label}${i}`))
    const started = await messaging.createGroup({ creator: members[0]!, members: members.slice(1), title: `${label} (${size})`, message: 'start' })
    await deliver([started.message!]) // the rows were created showing it: nothing to write
    return { uuid: started.messageGroupUuid, members, first: started.message! }
  }

  try {
    // Fan-out per member: Ada's messages into a group whose other members had her first message unread, then again
    // after every member has read everything (each row enters unread-index again).
    {
      const { uuid, members } = await group(options.fanOutMembers, 'fan')
      const [ada] = members
      const recipients = members.length - 1
      const fanOut = async () => {
        const sent = await messaging.createMessage({ messageGroupUuid: uuid, sender: ada!, message: 'a message of a realistic length into the group' })
        meter.reset()
        await deliver([sent])
        return meter.take()
      }
      const unreadAlready = await fanOut()
      for (const member of members.slice(1)) await messaging.markRead({ messageGroupUuid: uuid, userUuid: member.uuid })
      const leavingZero = await fanOut()
      const seeds = await seedsFanOut(client, meter, options.fanOutMembers)
      const perMember = (usage: OperationUsage) => usage.writeUnits / recipients
      figure(
        `stream fan-out, write units per member, a member who already had something unread (${options.fanOutMembers}-member group)`,
        `${fmt(perMember(unreadAlready))} WCU (${fmt(unreadAlready.writeUnits)} for ${recipients} rows: the row 1 + its inbox-index entry moved 2) vs seeds ${fmt(seeds / options.fanOutMembers)} per participant`,
        "≤ 3 WCU (the seeds' algorithm pays 4 for each)",
        perMember(unreadAlready) <= 3
      )
      figure(
        `stream fan-out, write units per member, a member whose count leaves 0 (${options.fanOutMembers}-member group)`,
        `${fmt(perMember(leavingZero))} WCU (${fmt(leavingZero.writeUnits)} for ${recipients} rows: + 1 entering unread-index) vs seeds ${fmt(seeds / options.fanOutMembers)} per participant`,
        '≤ 4 WCU',
        perMember(leavingZero) <= 4
      )
      figure(
        `stream fan-out, requests and read units per member (${options.fanOutMembers}-member group)`,
        `${fmt(unreadAlready.requests / recipients, 3)} requests (${describe(unreadAlready)}); ${fmt(unreadAlready.readUnits / recipients, 3)} RCU`,
        'reported'
      )
    }

    // countUnread: keys from unread-index (keys only, so a count that changes costs the index nothing), then the rows.
    {
      const reader = person('reader')
      const others = Array.from({ length: 3 }, (_, i) => person(`other${i}`))
      const unreadIn = async (conversations: number) => {
        for (let i = 0; i < conversations; i++) {
          if (i % 2 === 0) await messaging.createGroup({ creator: others[0]!, members: [reader, others[1]!, others[2]!], title: `group ${i}`, message: 'unread' })
          else await messaging.createMessageGroup({ sender: person(`friend${i}`), recipient: reader, message: 'unread' })
        }
        meter.reset()
        const totals = await messaging.countUnread({ userUuid: reader.uuid })
        return { totals, usage: meter.take() }
      }
      const one = await unreadIn(1)
      const ten = await unreadIn(9)
      if (one.totals.conversations !== 1 || ten.totals.conversations !== 10) throw new Error(`countUnread counted ${one.totals.conversations} and ${ten.totals.conversations} conversations`)
      figure(
        'countUnread: read units, 1 and 10 conversations unread (groups and direct mixed)',
        `${fmt(one.usage.readUnits)} RCU and ${fmt(ten.usage.readUnits)} RCU (${describe(ten.usage)}): the Query of unread-index, then 0.5 RCU per row it names`,
        'reported: unread-index holds keys only, so the counts are read from the rows (+0.5 RCU per conversation with something unread)'
      )
    }

    // A burst of 10 in one batch against 10 lone messages, each into a group of `burstMembers` whose members had the
    // first message unread: sends and fan-out together, and the fan-out alone.
    {
      const sendTen = async (uuid: string, sender: Participant, lone: boolean) => {
        const send: OperationUsage[] = []
        const fanOut: OperationUsage[] = []
        const sent: Message[] = []
        meter.reset()
        for (let i = 0; i < 10; i++) {
          const message = await messaging.createMessage({ messageGroupUuid: uuid, sender, message: `a message of a realistic length, number ${i}` })
          sent.push(message)
          if (!lone) continue
          send.push(meter.take())
          await deliver([message])
          fanOut.push(meter.take())
        }
        if (!lone) {
          send.push(meter.take())
          await deliver(sent)
          fanOut.push(meter.take())
        }
        return { send: sum(send), fanOut: sum(fanOut) }
        function sum(usages: OperationUsage[]): OperationUsage {
          return usages.reduce((a, b) => ({ requests: a.requests + b.requests, readUnits: a.readUnits + b.readUnits, writeUnits: a.writeUnits + b.writeUnits }))
        }
      }
      const loneGroup = await group(options.burstMembers, 'lone')
      const lone = await sendTen(loneGroup.uuid, loneGroup.members[0]!, true)
      const burstGroup = await group(options.burstMembers, 'burst')
      const burst = await sendTen(burstGroup.uuid, burstGroup.members[0]!, false)
      const all = (units: { send: OperationUsage; fanOut: OperationUsage }) => units.send.writeUnits + units.fanOut.writeUnits
      figure(
        `a burst of 10 messages in one batch into a ${options.burstMembers}-member group against 10 lone messages: WCU, sends and fan-out`,
        `${fmt(all(burst))} vs ${fmt(all(lone))} = ${fmt(all(burst) / all(lone), 3)}× (sends ${fmt(burst.send.writeUnits)} vs ${fmt(lone.send.writeUnits)}; fan-out alone ${fmt(burst.fanOut.writeUnits)} vs ${fmt(lone.fanOut.writeUnits)} = ${fmt(burst.fanOut.writeUnits / lone.fanOut.writeUnits, 3)}×)`,
        '≤ 0.15×',
        all(burst) <= 0.15 * all(lone)
      )
      figure(
        `the same burst and lone messages: read units, sends and fan-out`,
        `${fmt(burst.send.readUnits + burst.fanOut.readUnits)} vs ${fmt(lone.send.readUnits + lone.fanOut.readUnits)} RCU (fan-out ${fmt(burst.fanOut.readUnits)} vs ${fmt(lone.fanOut.readUnits)})`,
        'reported'
      )
    }

    figures.push(...(await membershipCosts(endpoint, tableName, options.fanOutMembers)))
    figures.push(...(await largeGroup(endpoint, client, meter, tableName, messaging, options.largeMembers)))
    figures.push(...(await busyUser(meter, messaging, options.conversations)))
    return figures
  } finally {
    client.destroy()
  }
}

/**
 * One message into a group of `size` through DynamoDB Local's own stream (`startLocalStreamWorker`, as Lambda's event
 * source mapping delivers it) and `createStreamHandler` with its default options on a client of its own: the time from
 * the send until the handler has written every row, every member's row read back, and the handler's requests per
 * member. Then the membership check in that group.
 */
async function largeGroup(
  endpoint: string,
  client: ReturnType<typeof clientFor>,
  meter: ReturnType<typeof meterOperations>,
  tableName: string,
  messaging: MessagingClient,
  size: number
): Promise<Figure[]> {
  const members = Array.from({ length: size }, (_, i) => person(`large${i}`))
  const { messageGroupUuid } = await messaging.createGroup({ creator: members[0]!, members: members.slice(1), title: `large (${size})`, message: 'start' })
  const handlerClient = clientFor(endpoint)
  const handlerMeter = meterOperations(handlerClient)
  const streamHandler = createStreamHandler({ client: handlerClient, tableName })
  // When the handler finished each message's batch without failures, by sort key.
  const appliedAt = new Map<string, number>()
  let handling = 0
  const worker = await startLocalStreamWorker({
    client,
    tableName,
    startingPosition: 'LATEST',
    handler: async (event) => {
      const started = performance.now()
      const response = await streamHandler(event)
      handling += performance.now() - started
      if (response.batchItemFailures.length === 0) {
        for (const record of event.Records) appliedAt.set(String(record.dynamodb?.NewImage?.sk?.S), performance.now())
      }
      return response
    },
    onError: (error) => console.error('groups bench stream worker:', error)
  })
  try {
    await worker.drain(120_000)
    handlerMeter.reset()
    handling = 0
    const started = performance.now()
    const sent = await messaging.createMessage({ messageGroupUuid, sender: members[1]!, message: 'one message to everyone' })
    while (!appliedAt.has(sent.sortKey)) {
      if (performance.now() - started > 120_000) throw new Error('the rows were not current within 120 s')
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const seconds = (appliedAt.get(sent.sortKey)! - started) / 1000
    const usage = handlerMeter.take()
    const rows = await batchGetItems(createStoreContext({ client, tableName }), members.map((member) => rowKey(member.uuid, messageGroupUuid)), true)
    const current = rows.filter((row) => row.last_sk === sent.sortKey && row.message === sent.message).length
    // The creator had only their own first message: 1 unread now; the sender 0; everyone else 2.
    const expected = (pk: unknown) => (pk === rowKey(members[1]!.uuid, messageGroupUuid).pk ? 0 : pk === rowKey(members[0]!.uuid, messageGroupUuid).pk ? 1 : 2)
    const unread = rows.filter((row) => row.unread_count === expected(row.pk)).length
    const figures: Figure[] = [
      {
        section: SECTION,
        figure: `one message into a ${size}-member group: every member's row current, through DynamoDB Local's stream and createStreamHandler with its defaults${size < 1_000 ? ` (quick mode: ${size} members, not 1,000)` : ''}`,
        measured: `${fmt(seconds)} s from the send (the handler itself ${fmt(handling / 1000)} s); ${current} of ${size} rows at the message, ${unread} with the right unread count`,
        goal: '≤ 30 s for 1,000 members, every row current',
        met: seconds <= 30 && current === size && unread === size
      },
      {
        section: SECTION,
        figure: `the same message: the handler's requests and units per member`,
        measured: `${fmt(usage.requests / size, 3)} requests (${describe(usage)}); ${fmt(usage.writeUnits / size)} WCU, ${fmt(usage.readUnits / size, 3)} RCU`,
        goal: 'reported: one UpdateItem per row that changes; the members, rows and messages read in pages and batches'
      }
    ]
    // The membership check of Patterns A and C: one consistent GetItem of the member's own membership item.
    meter.reset()
    await assertMember(createStoreContext({ client, tableName }), messageGroupUuid, members.at(-1)!.uuid)
    const check = meter.take()
    meter.reset()
    await messaging.listMessages({ messageGroupUuid, viewerUuid: members.at(-1)!.uuid, limit: 20 })
    const page = meter.take()
    figures.push({
      section: SECTION,
      figure: `membership check in a ${size}-member group${size < 1_000 ? ' (quick mode)' : ''}`,
      measured: `${fmt(check.readUnits)} RCU (${describe(check)}); a Pattern A page of its messages with the check ${fmt(page.readUnits)} RCU`,
      goal: '≤ 1 RCU in a group of 1,000',
      met: check.readUnits <= 1
    })
    return figures
  } finally {
    await worker.stop()
    handlerClient.destroy()
  }
}

/**
 * What the membership operations cost, billed by DynamoDB's rules: starting a group of `size` (a transaction per 49 members), adding one member,
 * renaming, making an admin, removing a member, and a page of `listMembers` ("seen by"). None writes to other members'
 * rows: title and member count live on the group's own item.
 */
async function membershipCosts(endpoint: string, tableName: string, size: number): Promise<Figure[]> {
  // A client of its own, every request billed by DynamoDB's rules (bench/billing): DynamoDB Local's own figures for
  // TransactWriteItems leave out the transaction's doubling and some items.
  const [client, probe] = [clientFor(endpoint), clientFor(endpoint)]
  const recorder = recordRequests(client, probe)
  const messaging = createMessaging({ client, tableName })
  const members = Array.from({ length: size }, (_, i) => person(`member${i}`))
  const [owner, admin] = members
  const measure = async (run: () => Promise<unknown>) => {
    recorder.reset()
    await run()
    const bills = await recorder.bills()
    const units = sumUnits(bills.map((one) => one.units))
    const requests = new Map<string, number>()
    for (const { request } of bills) requests.set(request.operation, (requests.get(request.operation) ?? 0) + 1)
    const reported = recorder.reported()
    const differs = reported.writeUnits !== units.writeUnits || reported.readUnits !== units.readUnits
    return `${fmt(units.writeUnits)} WCU, ${fmt(units.readUnits)} RCU (${[...requests].map(([operation, n]) => `${operation} ${n}`).join(', ')})${differs ? `; DynamoDB Local reports ${fmt(reported.writeUnits)} WCU, ${fmt(reported.readUnits)} RCU` : ''}`
  }
  let uuid = ''
  const created = await measure(async () => {
    uuid = (await messaging.createGroup({ creator: owner!, members: members.slice(1), title: 'costs', message: 'welcome' })).messageGroupUuid
  })
  const newcomer = person('newcomer')
  const steps: Array<[string, () => Promise<unknown>]> = [
    ['setMemberRole (make an admin)', () => messaging.setMemberRole({ messageGroupUuid: uuid, by: owner!.uuid, userUuid: admin!.uuid, role: 'admin' })],
    ['addMembers, one member, by an admin', () => messaging.addMembers({ messageGroupUuid: uuid, by: admin!.uuid, members: [newcomer] })],
    ['renameGroup', () => messaging.renameGroup({ messageGroupUuid: uuid, by: admin!.uuid, title: 'costs, renamed' })],
    ['removeMember, by an admin', () => messaging.removeMember({ messageGroupUuid: uuid, by: admin!.uuid, userUuid: newcomer.uuid })],
    ['listMembers, a page of 20', () => messaging.listMembers({ messageGroupUuid: uuid, viewerUuid: owner!.uuid, limit: 20 })]
  ]
  const row = (what: string, measured: string): Figure => ({ section: SECTION, figure: `${what} (a ${size}-member group)`, measured, goal: "reported: none writes other members' rows" })
  const figures = [row('createGroup with its members and a first message', created)]
  try {
    for (const [what, run] of steps) figures.push(row(what, await measure(run)))
    return figures
  } finally {
    client.destroy()
    probe.destroy()
  }
}

/**
 * Pattern B's first page of 20 for a user in `conversations` and for one in 20, both half groups and half direct
 * conversations, interleaved (so each first page holds 10 of each): the inbox-index Query and the BatchGetItem of the
 * page's groups' conversation items (their title and member count).
 */
async function busyUser(meter: ReturnType<typeof meterOperations>, messaging: MessagingClient, conversations: number): Promise<Figure[]> {
  const firstPage = async (count: number, kinds: 'mixed' | 'direct') => {
    const user = person('busy')
    for (let i = 0; i < count; i++) {
      const other = person(`peer${i}`)
      if (kinds === 'mixed' && i % 2 === 0) await messaging.createGroup({ creator: other, members: [user, person(`third${i}`)], title: `group ${i}`, message: 'hello' })
      else await messaging.createMessageGroup({ sender: other, recipient: user, message: 'hello' })
    }
    meter.reset()
    const page = await messaging.listMessageGroups({ userUuid: user.uuid, limit: 20 })
    return { usage: meter.take(), groups: page.items.filter((item) => item.kind === 'group').length, items: page.items.length }
  }
  const few = await firstPage(20, 'mixed')
  const many = await firstPage(conversations, 'mixed')
  const direct = await firstPage(20, 'direct')
  const read = (page: typeof few) => `${fmt(page.usage.readUnits)} RCU (${describe(page.usage)}; ${page.groups} groups of ${page.items})`
  return [
    {
      section: SECTION,
      figure: `Pattern B: the first page of 20, a user in ${conversations} conversations against one in 20 (groups and direct mixed)${conversations < 500 ? ' (quick mode)' : ''}`,
      measured: `${read(many)} vs ${read(few)}`,
      goal: 'the same read units',
      met: many.usage.readUnits === few.usage.readUnits && many.items === 20
    },
    {
      section: SECTION,
      figure: 'Pattern B: what the groups on a page add (title and member count joined from their conversation items)',
      measured: `${read(few)} vs a page of 20 direct conversations ${fmt(direct.usage.readUnits)} RCU (${describe(direct.usage)})`,
      goal: 'reported: 0.5 RCU per group on the page, so a rename or a membership change writes 1 item, not one per member'
    }
  ]
}

/** The seeds' algorithm on its own table, one conversation row per participant of a group of `size`: fan-out WCU. */
async function seedsFanOut(client: ReturnType<typeof clientFor>, meter: ReturnType<typeof meterOperations>, size: number): Promise<number> {
  const doc = DynamoDBDocumentClient.from(client)
  const tableName = await createSeedsTable(client, 'groups')
  const people = Array.from({ length: size }, (_, i) => person(`seed${i}`))
  const group = '0b1c5e2a-8f4d-4c3b-9a6e-7d2f1e0c9b8a'
  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString().replace('Z', '000+00:00')
  // Each participant's row as the bootcamp keeps it (its user fields name one other person: it held two).
  for (const [i, owner] of people.entries()) {
    const other = people[(i + 1) % size]!
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `GRP#${owner.uuid}`, sk: at(0), message_group_uuid: group, message: 'start', user_uuid: other.uuid, user_display_name: other.displayName, user_handle: other.handle }
      })
    )
  }
  await seedsSendMessage(doc, tableName, group, people[0]!, 'a message of a realistic length into the group', at(1))
  meter.reset()
  await seedsStreamFunction(doc, tableName, group, at(1), 'a message of a realistic length into the group')
  return meter.take().writeUnits
}

/** `UpdateItem 99 (297 WCU), BatchGetItem 1 (…)`: the requests by command. */
function describe(usage: { byCommand?: Record<string, OperationUsage> }): string {
  return Object.entries(usage.byCommand ?? {})
    .map(([command, one]) => `${command} ${one.requests}${one.writeUnits ? ` (${fmt(one.writeUnits)} WCU)` : one.readUnits ? ` (${fmt(one.readUnits)} RCU)` : ''}`)
    .join(', ')
}
