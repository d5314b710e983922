import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { execute } from 'dynamodb-toolbox/entity/actions/transactWrite'
import type { MessagingContext } from '../context.js'
import { MEMBERS_SK } from '../keys/keys.js'
import { backOff } from '../retry/backOff.js'
import { readCancellation } from '../transactions/readCancellation.js'
import { messageGroupUuidFor } from '../ids/messageGroupUuidFor.js'
import { linkedGroupOf, readMembersSlot, stringAttribute } from '../table/pairLink.js'
import { toMessage, type FormattedMessage } from '../table/rows.js'
import type { Message, Participant } from '../types.js'
import { storedReadState, type CountedReadState } from '../unread/readState.js'
import { Validator } from '../validation/validate.js'
import { putMessage, type MessageIdField } from './createMessage.js'
import { newMessageRow } from './newMessageRow.js'
import { validateParticipant } from './validateParticipant.js'
import { invalidate } from '../cache/invalidate.js'
import { checkMessageId, type ClientMessageId } from '../idempotency/ClientMessageId.js'
import { ValidationError } from '../errors/ValidationError.js'

/**
 * Input of {@link MessagingClient.createMessageGroup}.
 *
 * @example
 * ```ts
 * const { messageGroupUuid, created } = await messaging.createMessageGroup({
 *   sender: { uuid: alice.uuid, displayName: 'Alice', handle: 'alice' },
 *   recipient: { uuid: bob.uuid, displayName: 'Bob', handle: 'bob' },
 *   message: 'Hi Bob!'
 * })
 * ```
 */
export interface CreateMessageGroupInput extends MessageIdField {
  /** Who starts the conversation and sends the first message. */
  sender: Participant
  /** The other participant; not the sender. */
  recipient: Participant
  /** The first message, 1 to 1024 characters after line breaks are normalised and the text trimmed, with a visible character. */
  message: string
}

/**
 * Result of {@link MessagingClient.createMessageGroup}.
 *
 * @example
 * ```ts
 * const result = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi' })
 * if (!result.created) console.log('added to the conversation the two already had:', result.messageGroupUuid)
 * ```
 */
export interface CreateMessageGroupResult {
  /**
   * The conversation's uuid, the same for the pair whoever starts it: {@link messageGroupUuidFor} of the two, or the
   * id of the conversation they had before the table was adopted (`dynamo-messaging adopt` links the pair to it).
   */
  messageGroupUuid: string
  /**
   * `false` when the two already had a conversation: the message was added to it. A retry with the same `messageId`
   * answers as the first attempt did: `true` when that attempt started the conversation (the members item was created
   * at this message's time), `false` otherwise.
   */
  created: boolean
  /** The message that was stored. */
  message: Message
}

/**
 * Starts a conversation: the members item, both participants' rows and the first message, in one transaction (all
 * or nothing; the seeds' batch could leave a group for one user only). The group uuid comes from the pair, so
 * starting again with the same person adds the message to the existing conversation, and so does the loser of two
 * simultaneous starts: a transaction DynamoDB cancels for a conflict is retried with a short, jittered back-off. A pair
 * whose conversation predates the library (adopted from the bootcamp, random id) has a pair link in that members
 * slot: the message goes into the linked conversation, never into a second one. With a cache, the conversation's
 * cached pages (the linked one's, for a linked pair), and for a new conversation both users' conversation lists, are
 * marked stale before this returns or throws.
 */
export async function createMessageGroup(
  ctx: MessagingContext,
  input: CreateMessageGroupInput
): Promise<CreateMessageGroupResult> {
  const check = new Validator()
  const fields = check.object('input', input)
  const sender = validateParticipant(check, 'sender', fields.sender)
  const recipient = validateParticipant(check, 'recipient', fields.recipient)
  const text = check.messageText('message', fields.message)
  if (sender.uuid !== '' && sender.uuid === recipient.uuid) {
    check.fail('recipient.uuid', 'recipient_is_sender', 'cannot start a conversation with yourself')
  }
  const id = checkMessageId(check, 'messageId', fields.messageId, ctx.now())
  check.done()

  const messageGroupUuid = messageGroupUuidFor(sender.uuid, recipient.uuid)
  let created: boolean | undefined
  try {
    const result =
      id && !id.fresh
        ? await replayOnly(ctx, messageGroupUuid, sender, text, id)
        : await startOrAdd(ctx, messageGroupUuid, sender, recipient, text, id)
    created = result.created
    return result
  } finally {
    // Whatever may have been written: a new conversation (or an unknown outcome) changes both users' lists too.
    const users = created === false ? [] : [sender.uuid, recipient.uuid]
    await invalidate(ctx, { conversations: [messageGroupUuid], users })
  }
}

/** The transaction that starts the conversation, retried on conflicts, or the message added to the existing one. */
async function startOrAdd(
  ctx: MessagingContext,
  messageGroupUuid: string,
  sender: Participant,
  recipient: Participant,
  text: string,
  id: ClientMessageId | undefined
): Promise<CreateMessageGroupResult> {
  const first = newMessageRow(ctx, messageGroupUuid, sender, text, id)
  const membersPut = ctx.toolbox.MessageGroupMembersEntity.build(PutTransaction)
    .item({
      message_group_uuid: messageGroupUuid,
      sk: MEMBERS_SK,
      members: [sender, recipient].map((p) => ({ user_uuid: p.uuid, user_display_name: p.displayName, user_handle: p.handle })),
      created_at: first.sk.split('#', 1)[0]!
    })
    // On a failed condition DynamoDB hands back what holds the slot: a members item, or a pair link to follow.
    .options({ condition: { attr: 'message_group_uuid', exists: false }, returnValuesOnConditionFalse: 'ALL_OLD' })
  for (let attempt = 1; ; attempt++) {
    try {
      await execute(
        membersPut,
        // The sender has read their own first message; the recipient has it unread.
        groupRowPut(ctx, first, sender, recipient, { marker: first.sk, count: 0 }),
        groupRowPut(ctx, first, recipient, sender, { count: 1 }),
        ctx.toolbox.MessageEntity.build(PutTransaction)
          .item(first)
          .options({ condition: { attr: 'message_group_uuid', exists: false } })
      )
      return { messageGroupUuid, created: true, message: toMessage(first) }
    } catch (error) {
      const cancellation = readCancellation(error)
      // The members slot (first in the transaction) is taken: the pair already talks. Post into that conversation.
      if (cancellation?.conditionFailed.includes(0)) {
        const holder = cancellation.oldItems[0] ?? (await readMembersSlot(ctx, messageGroupUuid))
        return addToExisting(ctx, messageGroupUuid, holder, sender, text, id)
      }
      // Real DynamoDB cancels one of two simultaneous starts of the pair with TransactionConflict (the SDK does not
      // retry it). Once the other commits, the next attempt finds the members item and takes the branch above.
      if (!cancellation?.conflict || attempt >= CONFLICT_ATTEMPTS) throw error
      await backOff(attempt, CONFLICT_BASE_DELAY_MS, Math.random)
    }
  }
}

/**
 * Adds the message to the conversation whose members slot holds `holder` (its members item, or a pair link to
 * follow). A retry of the message that started it (same id) finds it stored at the members item's time: `created`.
 */
async function addToExisting(
  ctx: MessagingContext,
  messageGroupUuid: string,
  holder: Record<string, unknown> | undefined,
  sender: Participant,
  text: string,
  id: ClientMessageId | undefined
): Promise<CreateMessageGroupResult> {
  const linked = linkedGroupOf(holder)
  const existing = linked ?? messageGroupUuid
  try {
    const { message, replayed } = await putMessage(ctx, existing, sender, text, id)
    const created = replayed && linked === undefined && stringAttribute(holder, 'created_at') === message.createdAt
    return { messageGroupUuid: existing, created, message }
  } finally {
    // The caller marks the pair's own id stale; a linked (adopted) conversation is where this message went, also when
    // the put's outcome is unknown.
    if (linked !== undefined) await invalidate(ctx, { conversations: [linked] })
  }
}

/**
 * A message id too old for a new message: never a new conversation (its first message would be back-dated), only the
 * answer to a retry of a message already stored in the pair's conversation.
 */
async function replayOnly(
  ctx: MessagingContext,
  messageGroupUuid: string,
  sender: Participant,
  text: string,
  id: ClientMessageId
): Promise<CreateMessageGroupResult> {
  const holder = await readMembersSlot(ctx, messageGroupUuid)
  if (holder === undefined) {
    throw new ValidationError([
      { path: 'messageId', code: 'message_id_expired', message: 'holds a time too old for a new message (more than 5 minutes ago)' }
    ])
  }
  return addToExisting(ctx, messageGroupUuid, holder, sender, text, id)
}

/** Attempts of a start cancelled by conflicting writes, and the first back-off (doubled, jittered): ~0.3 s at most. */
const CONFLICT_ATTEMPTS = 5
const CONFLICT_BASE_DELAY_MS = 20

/** `owner`'s row of the new conversation, describing `other`, at the first message, with the owner's read state. */
function groupRowPut(ctx: MessagingContext, first: FormattedMessage, owner: Participant, other: Participant, read: CountedReadState) {
  return ctx.toolbox.MessageGroupEntity.build(PutTransaction)
    .item({
      owner_user_uuid: owner.uuid,
      sk: first.sk,
      message_group_uuid: first.message_group_uuid,
      message: first.message,
      user_uuid: other.uuid,
      user_display_name: other.displayName,
      user_handle: other.handle,
      ...storedReadState(owner.uuid, read)
    })
    .options({ condition: { attr: 'owner_user_uuid', exists: false } })
}
