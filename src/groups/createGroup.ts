import { randomUUID } from 'node:crypto'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import type { MessagingContext } from '../context.js'
import { invalidate } from '../cache/invalidate.js'
import { newMessageRow } from '../conversations/newMessageRow.js'
import { validateParticipant } from '../conversations/validateParticipant.js'
import type { MessageIdField } from '../conversations/createMessage.js'
import { checkMessageId, type ClientMessageId } from '../idempotency/ClientMessageId.js'
import { putMessageOnce } from '../idempotency/putMessageOnce.js'
import { groupUuidFor } from '../ids/messageGroupUuidFor.js'
import { CONVERSATION_SK, isMessageTime, messagePk, messageSk } from '../keys/keys.js'
import { isConditionFailed } from '../transactions/isConditionFailed.js'
import { ValidationError } from '../errors/ValidationError.js'
import { toMessage } from '../table/toMessage.js'
import type { Message, Participant } from '../types.js'
import { Validator } from '../validation/validate.js'
import { validateMembers } from './validateMembers.js'
import { addMemberChunks } from './addMemberChunks.js'

/**
 * Input of {@link MessagingClient.createGroup}.
 *
 * @example
 * ```ts
 * const input: CreateGroupInput = { creator: ada, members: [ben, cleo], title: 'Launch', message: 'Welcome!' }
 * ```
 */
export interface CreateGroupInput extends MessageIdField {
  /** Who creates the group: its owner. */
  creator: Participant
  /** The other members, at least one; with the creator, at most 1,000. */
  members: Participant[]
  /** 1 to 100 characters, under the rules of message text. */
  title: string
  /** A first message from the creator, which every member lists the group with. */
  message?: string
}

/**
 * Result of {@link MessagingClient.createGroup}.
 *
 * @example
 * ```ts
 * const { messageGroupUuid, memberCount } = await messaging.createGroup({ creator: ada, members: [ben, cleo], title: 'Launch' })
 * ```
 */
export interface CreateGroupResult {
  /** The group's uuid: random, or, with a `messageId`, the same for every retry of this start. */
  messageGroupUuid: string
  /** `false` when a retry with the same `messageId` found the group started already (it completes what was missing). */
  created: boolean
  /** How many members it has: the creator and the members. */
  memberCount: number
  /** The first message, when one was given. */
  message?: Message
}

/**
 * Starts a group: its conversation item (kind `group`, title, member count), then each member's membership item and
 * row in transactions of up to 49 members, the creator as its `owner` and the others as `member`s; with a `message`,
 * that message first, so every member's row is created showing it (unread for all but the creator). When this returns,
 * every member lists the group. With a `messageId` the group's uuid follows from it and the creator, so a retry after a
 * failure completes the same group instead of starting another. With a cache, the new members' lists and the
 * conversation's membership are marked stale before it returns.
 *
 * @throws {@link ValidationError} for bad input (no member besides the creator, more than 1,000 in all, a member twice,
 *   a bad title or message); nothing is written.
 */
export async function createGroup(ctx: MessagingContext, input: CreateGroupInput): Promise<CreateGroupResult> {
  const check = new Validator()
  const fields = check.object('input', input)
  const creator = validateParticipant(check, 'creator', fields.creator)
  const members = validateMembers(check, fields.members, creator.uuid)
  const title = check.title('title', fields.title)
  const text = fields.message === undefined ? undefined : check.messageText('message', fields.message)
  const id = checkMessageId(check, 'messageId', fields.messageId, ctx.now())
  check.done()

  const messageGroupUuid = id ? groupUuidFor(creator.uuid, id.messageId) : randomUUID()
  const first = text === undefined ? undefined : newMessageRow(ctx, messageGroupUuid, creator, text, id)
  // With a client-chosen id every attempt builds the same keys; without one the server's clock and a new ULID.
  const createdSk = first?.sk ?? (id ? messageSk(id.createdAt, id.messageId) : creationSk(ctx))
  const created = await putGroupItem(ctx, messageGroupUuid, creator, title, createdSk, id)
  const message = first && (await putMessageOnce(ctx, first, id)).message
  const at = { sk: createdSk, ...(message && { message: { text: message.message, sender: creator } }) }
  try {
    await addMemberChunks(ctx, messageGroupUuid, [{ member: creator, role: 'owner' }, ...members.map((member) => ({ member, role: 'member' as const, read: false }))], at)
  } finally {
    // Also after a failure part of the way: the members added so far list the group.
    await invalidate(ctx, { conversations: [messageGroupUuid], memberships: [messageGroupUuid], users: [creator, ...members].map((member) => member.uuid) })
  }
  return { messageGroupUuid, created, memberCount: members.length + 1, ...(message && { message }) }
}

/** The sort key of a group's creation: where its rows sit before its first message. */
function creationSk(ctx: MessagingContext): string {
  const time = ctx.now()
  if (!isMessageTime(time)) throw new ValidationError([{ path: 'now', code: 'now_invalid', message: 'must return a Date from 1970 to the end of 9999' }])
  return messageSk(time, ctx.newUlid(time.getTime()))
}

/**
 * The group's conversation item, only if absent. With a client-chosen id a retry finds its own item (same creator):
 * it goes on to complete the group (`created: false`); an id too old for a new message only completes one.
 */
async function putGroupItem(
  ctx: MessagingContext,
  messageGroupUuid: string,
  creator: Participant,
  title: string,
  createdSk: string,
  id: ClientMessageId | undefined
): Promise<boolean> {
  const Key = { pk: messagePk(messageGroupUuid), sk: CONVERSATION_SK }
  try {
    if (id && !id.fresh) throw new ValidationError([{ path: 'messageId', code: 'message_id_expired', message: 'holds a time too old for a new group (more than 5 minutes ago)' }])
    await ctx.documentClient.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: { ...Key, kind: 'group', title, member_count: 0, created_at: createdSk.split('#', 1)[0], created_sk: createdSk, created_by: creator.uuid },
        ConditionExpression: 'attribute_not_exists(pk)'
      })
    )
    return true
  } catch (error) {
    if (!id || !(isConditionFailed(error) || error instanceof ValidationError)) throw error
    const { Item } = await ctx.documentClient.send(new GetCommand({ TableName: ctx.tableName, Key, ConsistentRead: true }))
    if (Item?.created_by !== creator.uuid) throw error
    return false
  }
}
