import { randomUUID } from 'node:crypto'
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { createMessaging, createStreamHandler, type Message, type RowMove } from '../src/index.js'
import { insertRecordOf } from '../test/support/streamRecords.js'
import type { BilledUnits } from './billing/billRequest.js'
import { chatTrace, streamBatches, TRACE_MODEL, type TraceMessage } from './billing/chatTrace.js'
import { recordRequests } from './billing/recordRequests.js'
import { clientFor, createTable, person } from './engine.js'
import { fmt, type Figure } from './report.js'
import { seedsSendMessage, seedsStreamFunction } from './seedsAlgorithm.js'

const SECTION = "11. Billed units: DynamoDB's billing rules applied to every request, this library against the seeds' algorithm"

/** Pattern D as configured in one measured variant; `seeds` is the bootcamp's stream function, one record at a time. */
type Variant = { name: string; rowMove: RowMove; unreadCounts: boolean } | { name: 'seeds' }
const VARIANTS: Variant[] = [
  { name: 'transaction (default)', rowMove: 'transaction', unreadCounts: true },
  { name: 'ordered', rowMove: 'ordered', unreadCounts: true },
  { name: 'ordered, unreadCounts: false', rowMove: 'ordered', unreadCounts: false },
  { name: 'seeds' }
]

interface Totals {
  send: BilledUnits
  fanOut: BilledUnits
}

/**
 * Every request of a run recorded and billed by DynamoDB's rules (bench/billing), not DynamoDB Local's consumed
 * capacity (which under-reports transactions): the lone message per batch (the worst case for coalescing), and a
 * synthetic chat trace batched as a Lambda event source mapping with a batching window would deliver it.
 */
export async function benchBilled(endpoint: string, options: { conversations: number; windows: number[] }): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const probe = clientFor(endpoint)
  const recorder = recordRequests(client, probe)
  const doc = DynamoDBDocumentClient.from(client)
  const tableName = await createTable(client, 'billed')
  const figures: Figure[] = []
  const figure = (name: string, measured: string, goal: string, met?: boolean) =>
    figures.push({ section: SECTION, figure: name, measured, goal, ...(met !== undefined && { met }) })

  /** Runs `trace` (already cut into batches) on fresh conversations in one variant; returns the billed totals. */
  const run = async (variant: Variant, batches: TraceMessage[][], conversations: number, measureFrom = 0): Promise<Totals> => {
    const totals: Totals = { send: zero(), fanOut: zero() }
    let batchNumber = 0
    const add = async (into: BilledUnits) => {
      const bill = await recorder.bill()
      recorder.reset()
      if (batchNumber < measureFrom) return
      into.readUnits += bill.readUnits
      into.writeUnits += bill.writeUnits
      into.tableWriteUnits += bill.tableWriteUnits
      for (const [index, units] of Object.entries(bill.indexWriteUnits)) into.indexWriteUnits[index] = (into.indexWriteUnits[index] ?? 0) + units
    }
    const pairs = Array.from({ length: conversations }, () => [person('a'), person('b')] as const)
    if (variant.name === 'seeds') {
      const groups = pairs.map(() => randomUUID()) // the seeds' uuid4, fresh for each run
      const base = Date.parse('2026-01-01T00:00:00.000Z')
      const stamp = (seconds: number, i: number) => new Date(base + Math.round(seconds * 1000) + 1000).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}+00:00`)
      for (const [i, [a, b]] of pairs.entries()) {
        const t0 = new Date(base).toISOString()
        for (const [owner, other] of [[a, b], [b, a]] as const) {
          await doc.send(new PutCommand({ TableName: tableName, Item: { pk: `GRP#${owner.uuid}`, sk: t0, message_group_uuid: groups[i], message: 'start', user_uuid: other.uuid, user_display_name: other.displayName, user_handle: other.handle } }))
        }
      }
      recorder.reset()
      let n = 0
      for (const batch of batches) {
        for (const message of batch) {
          const at = stamp(message.at, n++)
          await seedsSendMessage(doc, tableName, groups[message.conversation]!, pairs[message.conversation]![message.from], 'a message of a realistic length', at)
          await add(totals.send)
          // The bootcamp's function takes Records[0] of a batch of one (BatchSize 1): one fan-out per message.
          await seedsStreamFunction(doc, tableName, groups[message.conversation]!, at, 'a message of a realistic length')
          await add(totals.fanOut)
        }
        batchNumber++
      }
      return totals
    }
    if (!('rowMove' in variant)) throw new Error('unreachable')
    const messaging = createMessaging({ client, tableName })
    const handler = createStreamHandler({ client, tableName, rowMove: variant.rowMove, unreadCounts: variant.unreadCounts })
    let sequence = 1
    const groups: string[] = []
    for (const [a, b] of pairs) {
      const { messageGroupUuid, message } = await messaging.createMessageGroup({ sender: a, recipient: b, message: 'start' })
      groups.push(messageGroupUuid)
      await handler({ Records: [insertRecordOf(message, sequence++)] })
    }
    recorder.reset()
    for (const batch of batches) {
      const sent: Message[] = []
      for (const message of batch) {
        sent.push(await messaging.createMessage({ messageGroupUuid: groups[message.conversation]!, sender: pairs[message.conversation]![message.from], message: 'a message of a realistic length' }))
      }
      await add(totals.send)
      await handler({ Records: sent.map((message) => insertRecordOf(message, sequence++)) })
      await add(totals.fanOut)
      batchNumber++
    }
    return totals
  }

  // The worst case for coalescing: a lone message per batch, measured in the steady state (after a first move, which
  // may still remove an entry the conversation's creation wrote), two of them, one from each side.
  const lone: TraceMessage[][] = [0, 10, 20].map((at, i) => [{ at, conversation: 0, from: i % 2 === 0 ? 1 : 0 }])
  const loneResults = new Map<string, Totals>()
  for (const variant of VARIANTS) loneResults.set(variant.name, await run(variant, lone, 1, 1))
  const seedsLone = loneResults.get('seeds')!
  for (const variant of VARIANTS.filter((v) => v.name !== 'seeds')) {
    const ours = loneResults.get(variant.name)!
    const perMessage = ours.fanOut.writeUnits / 2
    const ratio = ours.fanOut.writeUnits / seedsLone.fanOut.writeUnits
    figure(
      `one message per batch, fan-out WCU: ${variant.name}`,
      `${fmt(perMessage)} vs seeds ${fmt(seedsLone.fanOut.writeUnits / 2)} = ${fmt(ratio)}× (table ${fmt(ours.fanOut.tableWriteUnits / 2)}, index ${describeIndexes(ours.fanOut, 2)}; RCU ${fmt(ours.fanOut.readUnits / 2)} vs ${fmt(seedsLone.fanOut.readUnits / 2)})`,
      '≤ 1.0× seeds (8 WCU)',
      ratio <= 1
    )
  }

  // A realistic trace: bursts, replies, mostly idle conversations.
  const trace = chatTrace(options.conversations)
  const seedsTrace = await run({ name: 'seeds' }, streamBatches(trace, 0), options.conversations)
  const seedsWrites = seedsTrace.send.writeUnits + seedsTrace.fanOut.writeUnits
  figure(
    'chat trace: the workload',
    `${trace.length} messages in ${options.conversations} conversations over ${TRACE_MODEL.durationSeconds} s (${Math.round(TRACE_MODEL.activeShare * 100)} % active, in bursts of mean ${TRACE_MODEL.burstMean}; the rest one lone message); seeds: ${fmt(seedsWrites)} WCU (fan-out ${fmt(seedsTrace.fanOut.writeUnits)}), ${fmt(seedsTrace.send.readUnits + seedsTrace.fanOut.readUnits)} RCU`,
    'reported'
  )
  for (const windowSeconds of options.windows) {
    const batches = streamBatches(trace, windowSeconds)
    for (const variant of VARIANTS.filter((v) => v.name !== 'seeds')) {
      const ours = await run(variant, batches, options.conversations)
      const writes = ours.send.writeUnits + ours.fanOut.writeUnits
      const ratio = writes / seedsWrites
      figure(
        `chat trace, batching window ${windowSeconds} s (${batches.length} batches): ${variant.name}`,
        `${fmt(writes)} WCU vs seeds ${fmt(seedsWrites)} = ${fmt(ratio)}× (fan-out ${fmt(ours.fanOut.writeUnits)} vs ${fmt(seedsTrace.fanOut.writeUnits)} = ${fmt(ours.fanOut.writeUnits / seedsTrace.fanOut.writeUnits)}×; RCU ${fmt(ours.send.readUnits + ours.fanOut.readUnits)})`,
        '≤ 0.7× seeds\' write units (sends included)',
        ratio <= 0.7
      )
    }
  }
  client.destroy()
  probe.destroy()
  return figures
}

const zero = (): BilledUnits => ({ readUnits: 0, writeUnits: 0, tableWriteUnits: 0, indexWriteUnits: {} })

function describeIndexes(units: BilledUnits, per: number): string {
  const entries = Object.entries(units.indexWriteUnits)
  return entries.length === 0 ? '0' : entries.map(([index, n]) => `${index} ${fmt(n / per)}`).join(' + ')
}
