// The measured scenarios of the cost goals (issue 18), shared by `npm run bench` (section 11) and
// test/integration/billedCost.test.ts: a two-person conversation brought to a state, then messages from one side
// delivered to the stream handler as one batch, every request recorded and billed.
import { randomUUID } from 'node:crypto'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { createMessaging, createStreamHandler, messagePk, type Message } from '../../src/index.js'
import { insertRecordOf } from '../../test/support/streamRecords.js'
import { seedsConversation, seedsSendMessage, seedsStreamFunction } from '../seedsAlgorithm.js'
import { sumUnits, type BilledUnits } from './billRequest.js'
import { itemSize } from './itemSize.js'
import type { RequestRecorder } from './recordRequests.js'

/** Who has something unread when the measured messages are sent (the sender is always the same side). */
export type Before =
  /** Neither participant: the recipient read the conversation. */
  | 'nothing-unread'
  /** The recipient has the sender's earlier message unread; the sender has nothing unread. */
  | 'recipient-unread'
  /** The sender has the other's message unread: a reply (sending marks it read). */
  | 'sender-unread'

/** One phase's units as billed by DynamoDB's rules and as DynamoDB Local reported them. */
export interface PhaseUnits {
  billed: BilledUnits
  reported: BilledUnits
}

export interface Measured {
  /** The sends (Pattern C, and the sender's row when it is updated in the request). */
  send: PhaseUnits
  /** The stream handler's Pattern D for the batch. */
  fanOut: PhaseUnits
  /** Every write request of both phases, by operation. */
  writeOperations: string[]
  /** The read requests of the fan-out, by operation, with their billed units. */
  fanOutReads: Array<{ operation: string; readUnits: number }>
  /** DynamoDB's item size of the messages sent, summed: what the counts' read needs at least. */
  messageBytes: number
}

export interface Bench {
  client: DynamoDBClient
  recorder: RequestRecorder
  tableName: string
}

const person = (handle: string) => ({ uuid: randomUUID(), displayName: handle, handle })
let sequence = 1

type Phase = PhaseUnits & { operations: string[]; reads: Measured['fanOutReads'] }

/** The units of the requests recorded since the last reset, billed and as reported; resets. */
async function take(recorder: RequestRecorder): Promise<Phase> {
  const bills = await recorder.bills()
  const { requests: _, ...reported } = recorder.reported()
  recorder.reset()
  return {
    billed: sumUnits(bills.map((one) => one.units)),
    reported,
    operations: bills.flatMap(({ request }) => (request.kind === 'write' ? [request.operation] : [])),
    reads: bills.flatMap(({ request, units }) => (request.kind === 'read' ? [{ operation: request.operation, readUnits: units.readUnits }] : []))
  }
}

/**
 * This library, default options unless `updateSenderRow` is given: a conversation Alice started (its first record
 * already delivered), brought to `before` (and given `previousText`, delivered), then `burst` messages from one side
 * sent and delivered as one batch.
 */
export async function measureOurs(
  bench: Bench,
  options: { before: Before; burst: number; updateSenderRow?: boolean; text?: string; previousText?: string }
): Promise<Measured> {
  const { client, recorder, tableName } = bench
  const messaging = createMessaging({ client, tableName, ...(options.updateSenderRow !== undefined && { updateSenderRow: options.updateSenderRow }) })
  const handler = createStreamHandler({ client, tableName })
  const deliver = (messages: Message[]) => handler({ Records: messages.map((message) => insertRecordOf(message, sequence++)) })
  const [alice, bob] = [person('alice'), person('bob')]
  const started = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
  const { messageGroupUuid } = started
  await deliver([started.message]) // Bob has Alice's first message unread
  if (options.before === 'nothing-unread') await messaging.markRead({ messageGroupUuid, userUuid: bob.uuid })
  // Alice sends, except for a reply from Bob, who has her message unread.
  const sender = options.before === 'sender-unread' ? bob : alice
  // A message before the measured ones, already applied: the row's last message, which Pattern D need not read again.
  if (options.previousText !== undefined) await deliver([await messaging.createMessage({ messageGroupUuid, sender, message: options.previousText })])
  recorder.reset()
  const sent: Message[] = []
  for (let i = 0; i < options.burst; i++) sent.push(await messaging.createMessage({ messageGroupUuid, sender, message: options.text ?? `a message of a realistic length, number ${i}` }))
  const send = await take(recorder)
  await deliver(sent)
  const fanOut = await take(recorder)
  const messageBytes = await storedBytes(client, tableName, messageGroupUuid, sent)
  return { send, fanOut, writeOperations: [...send.operations, ...fanOut.operations], fanOutReads: fanOut.reads, messageBytes }
}

/** The seeds' algorithm on its own table: a conversation as the bootcamp creates it, then `burst` messages from one side. */
export async function measureSeeds(bench: Bench, options: { burst: number; text?: string }): Promise<Measured> {
  const { client, recorder, tableName } = bench
  const doc = DynamoDBDocumentClient.from(client)
  const pair = [person('carol'), person('dan')] as const
  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString().replace('Z', '000+00:00')
  const group = await seedsConversation(doc, tableName, pair, 'start', at(0))
  const send: Phase[] = []
  const fanOut: Phase[] = []
  recorder.reset()
  // The bootcamp's function takes Records[0] of a batch of one: one fan-out per message, whatever the batching.
  for (let i = 1; i <= options.burst; i++) {
    const text = options.text ?? `a message of a realistic length, number ${i}`
    await seedsSendMessage(doc, tableName, group, pair[0], text, at(i))
    send.push(await take(recorder))
    await seedsStreamFunction(doc, tableName, group, at(i), text)
    fanOut.push(await take(recorder))
  }
  const total = (phases: Phase[]): PhaseUnits => ({ billed: sumUnits(phases.map((p) => p.billed)), reported: sumUnits(phases.map((p) => p.reported)) })
  return {
    send: total(send),
    fanOut: total(fanOut),
    writeOperations: [...send, ...fanOut].flatMap((p) => p.operations),
    fanOutReads: fanOut.flatMap((p) => p.reads),
    messageBytes: 0
  }
}

/** The stored size of `messages` (DynamoDB's item size), read back strongly consistently. */
async function storedBytes(client: DynamoDBClient, tableName: string, messageGroupUuid: string, messages: readonly Message[]): Promise<number> {
  if (messages.length === 0) return 0
  const keys = new Set(messages.map((message) => message.sortKey))
  const { Items = [] } = await DynamoDBDocumentClient.from(client).send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
      ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':first': messages[0]!.sortKey, ':last': messages.at(-1)!.sortKey },
      ConsistentRead: true
    })
  )
  return Items.filter((item) => keys.has(String(item.sk))).reduce((sum, item) => sum + itemSize(marshall(item)), 0)
}

/**
 * The read goal of Pattern D (issue 18) for one conversation in one batch: 1 RCU per participant, plus 1 RCU per
 * 4 KB of the messages its counts need (at least one read).
 */
export const readBudget = (participants: number, messageBytes: number): number => participants + Math.max(1, Math.ceil(messageBytes / 4096))
