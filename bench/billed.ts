import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createMessaging, createStreamHandler, type Message } from '../src/index.js'
import { insertRecordOf } from '../test/support/streamRecords.js'
import { sumUnits, type BilledUnits } from './billing/billRequest.js'
import { chatTrace, streamBatches, TRACE_MODEL, type TraceMessage } from './billing/chatTrace.js'
import { recordRequests, type RequestRecorder } from './billing/recordRequests.js'
import { measureOurs, measureSeeds, readBudget, type Before, type Measured } from './billing/scenarios.js'
import { clientFor, createTable, person } from './engine.js'
import { fmt, type Figure } from './report.js'
import { createSeedsTable, seedsConversation, seedsSendMessage, seedsStreamFunction } from './seedsAlgorithm.js'

const SECTION = "11. Billed units: DynamoDB's billing rules applied to every request, this library against the seeds' algorithm"

/** On-demand prices in us-east-1 (since November 2024), dollars per million request units. */
export const PRICE = { write: 0.625, read: 0.125 }

/** The issue's goals for the chat trace, by variant and batching window (seconds): at most this share of the seeds. */
const TRACE_GOALS: Record<string, Record<number, number>> = { default: { 2: 0.9, 30: 0.75 }, 'updateSenderRow: false': { 30: 0.6 } }

interface Totals {
  send: BilledUnits
  fanOut: BilledUnits
  transactions: number
  /** Writes that changed nothing (a refused condition): billed, and a sign of work the design could skip. */
  refused: number
}

/**
 * Every request of a run recorded and billed by DynamoDB's rules (bench/billing), checked against what DynamoDB Local
 * reports for the same requests: a lone message into a two-person conversation in each state of the unread counts, a
 * burst of 10 in one batch, and a synthetic chat trace batched as a Lambda event source mapping with a batching
 * window would deliver it, each beside the seeds' algorithm on its own bootcamp table.
 */
export async function benchBilled(endpoint: string, options: { conversations: number; windows: number[] }): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const probe = clientFor(endpoint)
  const recorder = recordRequests(client, probe)
  const ours = { client, recorder, tableName: await createTable(client, 'billed') }
  const seeds = { client, recorder, tableName: await createSeedsTable(client, 'billed') }
  const figures: Figure[] = []
  const figure = (name: string, measured: string, goal: string, met?: boolean) => figures.push({ section: SECTION, figure: name, measured, goal, ...(met !== undefined && { met }) })
  let transactions = 0
  let disagreements = 0
  const checked = (measured: Measured) => {
    transactions += measured.writeOperations.filter((operation) => operation === 'TransactWriteItems').length
    for (const phase of [measured.send, measured.fanOut]) if (JSON.stringify(phase.billed) !== JSON.stringify(phase.reported)) disagreements++
    return measured
  }

  // A lone message, send and fan-out together, in each state of the unread counts.
  const seedsLone = checked(await measureSeeds(seeds, { burst: 1 }))
  const seedsWrites = total(seedsLone).writeUnits
  const cases: Array<[Before, string, number]> = [
    ['nothing-unread', 'nothing unread on either side', 8],
    ['recipient-unread', 'the recipient already had some unread', 8],
    ['sender-unread', 'a reply from a sender who had unread messages', 9]
  ]
  let lone: Measured | undefined
  for (const [before, what, goal] of cases) {
    const measured = checked(await measureOurs(ours, { before, burst: 1 }))
    lone ??= measured
    const units = total(measured)
    figure(
      `a lone message, ${what}: WCU, send and fan-out`,
      `${fmt(units.writeUnits)} vs seeds ${fmt(seedsWrites)} (send ${fmt(measured.send.billed.writeUnits)} + fan-out ${fmt(measured.fanOut.billed.writeUnits)}; table ${fmt(units.tableWriteUnits)}, ${describeIndexes(units)})`,
      `≤ ${goal} WCU against the seeds' 9`,
      units.writeUnits <= goal
    )
  }
  const burst = checked(await measureOurs(ours, { before: 'recipient-unread', burst: 10 }))
  const seedsBurst = checked(await measureSeeds(seeds, { burst: 10 }))
  figure(
    'a burst of 10 messages from one side in one batch: WCU, sends and fan-out',
    `${fmt(total(burst).writeUnits)} vs seeds ${fmt(total(seedsBurst).writeUnits)} = ${fmt(total(burst).writeUnits / total(seedsBurst).writeUnits)}× (sends ${fmt(burst.send.billed.writeUnits)}, fan-out ${fmt(burst.fanOut.billed.writeUnits)})`,
    "≤ 0.5× the seeds' 90",
    total(burst).writeUnits <= 0.5 * total(seedsBurst).writeUnits
  )
  const burst100 = checked(await measureOurs(ours, { before: 'recipient-unread', burst: 100 }))
  // Near the 4 KB a read unit holds: a 3.2 KB message after a 2.5 KB one (1,000 and 750 three-byte characters).
  const long = checked(await measureOurs(ours, { before: 'recipient-unread', burst: 1, text: '€'.repeat(1_000), previousText: '€'.repeat(750) }))
  for (const [what, measured] of [['a lone message', lone!], ['a burst of 10', burst], ['a burst of 100', burst100], ['a 3.2 KB message after a 2.5 KB one', long]] as const) {
    const budget = readBudget(2, measured.messageBytes)
    figure(
      `reads of Pattern D per conversation per batch, ${what}`,
      `${fmt(measured.fanOut.billed.readUnits)} RCU (${measured.fanOutReads.map((read) => `${read.operation} ${fmt(read.readUnits)}`).join(' + ')}; the messages ${fmt(measured.messageBytes)} bytes)`,
      `≤ 1 RCU per participant + 1 per 4 KB of the messages the counts need: ${budget}`,
      measured.fanOut.billed.readUnits <= budget
    )
  }
  const loneUnits = total(lone!)
  const seedsUnits = total(seedsLone)
  const dollars = (units: BilledUnits) => units.writeUnits * PRICE.write + units.readUnits * PRICE.read
  figure(
    'a lone message in on-demand money (us-east-1), reads and writes, per million messages',
    `$${fmt(dollars(loneUnits), 3)} (${fmt(loneUnits.writeUnits)} WCU + ${fmt(loneUnits.readUnits)} RCU) vs seeds $${fmt(dollars(seedsUnits), 3)} (${fmt(seedsUnits.writeUnits)} WCU + ${fmt(seedsUnits.readUnits)} RCU) = ${fmt(dollars(loneUnits) / dollars(seedsUnits))}×`,
    'reported'
  )

  // The chat trace: bursts, replies, mostly idle conversations.
  const trace = chatTrace(options.conversations)
  const seedsTrace = await runSeeds(seeds, trace, options.conversations)
  const seedsTraceWrites = seedsTrace.send.writeUnits + seedsTrace.fanOut.writeUnits
  figure(
    'chat trace: the workload',
    `${trace.length} messages in ${options.conversations} conversations over ${TRACE_MODEL.durationSeconds} s (${Math.round(TRACE_MODEL.activeShare * 100)} % active, in bursts of mean ${TRACE_MODEL.burstMean}; the rest one lone message); seeds: ${fmt(seedsTraceWrites)} WCU (fan-out ${fmt(seedsTrace.fanOut.writeUnits)}), ${fmt(seedsTrace.send.readUnits + seedsTrace.fanOut.readUnits)} RCU`,
    'reported'
  )
  for (const windowSeconds of options.windows) {
    const batches = streamBatches(trace, windowSeconds)
    for (const [variant, updateSenderRow] of [['default', true], ['updateSenderRow: false', false]] as const) {
      const run = await runOurs(ours, batches, options.conversations, updateSenderRow)
      transactions += run.transactions
      const writes = run.send.writeUnits + run.fanOut.writeUnits
      const ratio = writes / seedsTraceWrites
      const goal = TRACE_GOALS[variant]![windowSeconds]
      figure(
        `chat trace, batching window ${windowSeconds} s (${batches.length} batches): ${variant}`,
        `${fmt(writes)} WCU vs seeds ${fmt(seedsTraceWrites)} = ${fmt(ratio, 3)}× (sends ${fmt(run.send.writeUnits)}, fan-out ${fmt(run.fanOut.writeUnits)}, refused writes ${run.refused}; RCU ${fmt(run.send.readUnits + run.fanOut.readUnits)})`,
        goal === undefined ? 'reported' : `≤ ${goal}× the seeds' write units`,
        goal === undefined ? undefined : ratio <= goal
      )
    }
  }
  figure('transactions in the steady state (every run above)', String(transactions), '0', transactions === 0)
  figure('billed units that differ from what DynamoDB Local reported (phases of the lone-message and burst runs)', String(disagreements), '0', disagreements === 0)
  client.destroy()
  probe.destroy()
  return figures
}

/** Send and fan-out together. */
const total = (measured: Measured): BilledUnits => sumUnits([measured.send.billed, measured.fanOut.billed])

/** The recorded requests' billed units added to `into.send` or `into.fanOut`, with their transactions and refused writes; resets the recorder. */
async function collect(recorder: RequestRecorder, into: Totals, phase: 'send' | 'fanOut'): Promise<void> {
  const bills = await recorder.bills()
  recorder.reset()
  into[phase] = sumUnits([into[phase], ...bills.map((one) => one.units)])
  for (const { request } of bills) {
    if (request.kind !== 'write') continue
    if (request.operation === 'TransactWriteItems') into.transactions++
    if (request.writes.every(({ before, after }) => JSON.stringify(before) === JSON.stringify(after))) into.refused++
  }
}

/** The trace through this library, cut into `batches`: each batch's sends, then one stream handler call. */
async function runOurs(bench: { client: ReturnType<typeof clientFor>; recorder: RequestRecorder; tableName: string }, batches: TraceMessage[][], conversations: number, updateSenderRow: boolean): Promise<Totals> {
  const { client, recorder, tableName } = bench
  const messaging = createMessaging({ client, tableName, updateSenderRow })
  const handler = createStreamHandler({ client, tableName })
  let sequence = 1
  const pairs = Array.from({ length: conversations }, () => [person('a'), person('b')] as const)
  const groups: string[] = []
  for (const [a, b] of pairs) {
    const { messageGroupUuid, message } = await messaging.createMessageGroup({ sender: a, recipient: b, message: 'start' })
    groups.push(messageGroupUuid)
    await handler({ Records: [insertRecordOf(message, sequence++)] })
  }
  recorder.reset()
  const totals: Totals = { send: zero(), fanOut: zero(), transactions: 0, refused: 0 }
  for (const batch of batches) {
    const sent: Message[] = []
    for (const message of batch) {
      sent.push(await messaging.createMessage({ messageGroupUuid: groups[message.conversation]!, sender: pairs[message.conversation]![message.from], message: 'a message of a realistic length' }))
    }
    await collect(recorder, totals, 'send')
    await handler({ Records: sent.map((message) => insertRecordOf(message, sequence++)) })
    await collect(recorder, totals, 'fanOut')
  }
  return totals
}

/** The trace through the seeds' algorithm: its stream function runs once per message (it reads `Records[0]` only). */
async function runSeeds(bench: { client: ReturnType<typeof clientFor>; recorder: RequestRecorder; tableName: string }, trace: TraceMessage[], conversations: number): Promise<Totals> {
  const { client, recorder, tableName } = bench
  const doc = DynamoDBDocumentClient.from(client)
  const base = Date.parse('2026-01-01T00:00:00.000Z')
  // Python's isoformat() with microseconds; distinct for messages in the same millisecond.
  const stamp = (seconds: number, i: number) => new Date(base + Math.round(seconds * 1000) + 1000).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}+00:00`)
  const pairs = Array.from({ length: conversations }, () => [person('a'), person('b')] as const)
  const groups: string[] = []
  for (const pair of pairs) groups.push(await seedsConversation(doc, tableName, pair, 'start', new Date(base).toISOString().replace('Z', '000+00:00')))
  recorder.reset()
  const totals: Totals = { send: zero(), fanOut: zero(), transactions: 0, refused: 0 }
  for (const [n, message] of trace.entries()) {
    const at = stamp(message.at, n)
    await seedsSendMessage(doc, tableName, groups[message.conversation]!, pairs[message.conversation]![message.from], 'a message of a realistic length', at)
    await collect(recorder, totals, 'send')
    await seedsStreamFunction(doc, tableName, groups[message.conversation]!, at, 'a message of a realistic length')
    await collect(recorder, totals, 'fanOut')
  }
  return totals
}

const zero = (): BilledUnits => ({ readUnits: 0, writeUnits: 0, tableWriteUnits: 0, indexWriteUnits: {} })

function describeIndexes(units: BilledUnits): string {
  const entries = Object.entries(units.indexWriteUnits)
  return entries.length === 0 ? 'no index writes' : entries.map(([index, n]) => `${index} ${fmt(n)}`).join(', ')
}
