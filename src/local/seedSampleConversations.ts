import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createMessaging } from '../createMessaging.js'
import { validateClientOptions } from '../validation/validateClientOptions.js'
import { Validator } from '../validation/validate.js'
import { messageGroupUuidFor } from '../ids/messageGroupUuidFor.js'
import type { Message, Participant } from '../types.js'
import { lineTimes, SAMPLE_CONVERSATIONS, sampleUser } from './sampleConversations.js'

/**
 * Options of {@link seedSampleConversations}.
 *
 * @example
 * ```ts
 * const options: SeedSampleOptions = { client, tableName: 'chat-dev', now: new Date('2026-01-10T12:00:00Z') }
 * await seedSampleConversations(options)
 * ```
 */
export interface SeedSampleOptions {
  /** A client for the table to fill (DynamoDB Local, usually). */
  client: DynamoDBClient | DynamoDBDocumentClient
  /** Default `cruddur-messages`. */
  tableName?: string
  /** "Now", a valid `Date`: the sample conversations are dated over the four days before it. Default the current time. */
  now?: Date
}

/**
 * One sample conversation and what {@link seedSampleConversations} did with it.
 *
 * @example
 * ```ts
 * for (const { messageGroupUuid, participants, written } of await seedSampleConversations({ client })) {
 *   console.log(participants.map((p) => p.handle).join(' ↔ '), messageGroupUuid, written)
 * }
 * ```
 */
export interface SeededConversation {
  /** The conversation's uuid (derived from the pair, so the same on every run). */
  messageGroupUuid: string
  /** Who talks: the first starts the conversation. */
  participants: readonly [Participant, Participant]
  /** Messages written: 0 when the conversation was already there. */
  written: number
  /** The conversation's last message, when this run wrote it. */
  last?: Message
}

/**
 * Writes the sample conversations between {@link SAMPLE_USERS} through the library itself, dated in the past, then
 * moves both participants' conversation rows to each conversation's last message (Pattern D), so the rows agree
 * with the messages. A conversation already in the table is skipped, so running it twice changes nothing.
 *
 * @example
 * ```ts
 * const local = await startDynamoDbLocal()
 * const client = localDynamoDbClient(local.endpoint)
 * await client.send(new CreateTableCommand(tableDefinition()))
 * const seeded = await seedSampleConversations({ client })
 * ```
 */
export async function seedSampleConversations(options: SeedSampleOptions): Promise<SeededConversation[]> {
  const check = new Validator()
  const fields = check.object('options', options)
  const clientOptions = validateClientOptions(check, fields)
  const now = check.date('now', fields.now) ?? new Date()
  check.done()
  let clock = now
  const messaging = createMessaging({ ...clientOptions, now: () => clock })
  const seeded: SeededConversation[] = []
  for (const conversation of SAMPLE_CONVERSATIONS) {
    const participants = [sampleUser(conversation.between[0]), sampleUser(conversation.between[1])] as const
    const messageGroupUuid = messageGroupUuidFor(participants[0].uuid, participants[1].uuid)
    // The uuid comes from the pair: if the conversation has members, an earlier run wrote it.
    if (await messaging.getParticipants(messageGroupUuid)) {
      seeded.push({ messageGroupUuid, participants, written: 0 })
      continue
    }
    const times = lineTimes(conversation, now)
    let last: Message | undefined
    for (const [i, line] of conversation.lines.entries()) {
      clock = times[i]!
      const sender = sampleUser(line.from)
      const recipient = sender.uuid === participants[0].uuid ? participants[1] : participants[0]
      last =
        i === 0
          ? (await messaging.createMessageGroup({ sender, recipient, message: line.text })).message
          : await messaging.createMessage({ messageGroupUuid, sender, message: line.text })
    }
    // Pattern D as the stream would run it: both rows end at the conversation's last message.
    if (last) await messaging.updateMessageGroups(last)
    seeded.push({ messageGroupUuid, participants, written: conversation.lines.length, ...(last && { last }) })
  }
  return seeded
}
