import { createContext, type ClientOptions, type MessagingContext } from './context.js'
import { listMessages, type ListMessagesInput } from './conversations/listMessages.js'
import { listMessageGroups, type ListMessageGroupsInput } from './conversations/listMessageGroups.js'
import { createMessage, type CreateMessageInput } from './conversations/createMessage.js'
import {
  createMessageGroup,
  type CreateMessageGroupInput,
  type CreateMessageGroupResult
} from './conversations/createMessageGroup.js'
import {
  updateMessageGroups,
  type UpdateMessageGroupsOptions,
  type UpdateMessageGroupsResult
} from './conversations/updateMessageGroups.js'
import { getParticipants } from './conversations/getParticipants.js'
import { markRead, type MarkReadInput, type MarkReadResult } from './conversations/markRead.js'
import { countUnread, type CountUnreadInput, type UnreadTotals } from './conversations/countUnread.js'
import { createGroup, type CreateGroupInput, type CreateGroupResult } from './groups/createGroup.js'
import { addMembers, type AddMembersInput, type AddMembersResult } from './groups/addMembers.js'
import { removeMember, type RemoveMemberInput, type RemoveMemberResult } from './groups/removeMember.js'
import { renameGroup, type RenameGroupInput } from './groups/renameGroup.js'
import { setMemberRole, type SetMemberRoleInput } from './groups/setMemberRole.js'
import { listMembers, type ListMembersInput } from './groups/listMembers.js'
import { validateClientOptions } from './validation/validateClientOptions.js'
import { validateCacheOptions } from './cache/validateCacheOptions.js'
import type { CacheOptions, CacheReadEvent } from './cache/MessagingCache.js'
import { Validator } from './validation/validate.js'
import type { MessagingEntities } from './table/createMessagingTable.js'
import type { GroupMember, LatestMessage, Message, MessageGroup, Page, Participant } from './types.js'

/**
 * Options of {@link createMessaging}.
 *
 * @example
 * ```ts
 * const messaging = createMessaging({
 *   client: new DynamoDBClient({}),
 *   tableName: 'chat-test',
 *   now: () => new Date('2026-01-01T00:00:00.000Z'), // a fixed clock for tests
 *   onMalformedItem: (item, problem) => logger.warn({ pk: item.pk, sk: item.sk, problem }, 'malformed item left out')
 * })
 * ```
 */
export interface MessagingOptions extends ClientOptions, CacheOptions {
  /** Clock used for new messages. Default `() => new Date()`; replace it in tests. */
  now?: () => Date
  /**
   * Source of the ULID after the time in each message's sort key, given the time in milliseconds. Default a
   * monotonic ULID factory (ordered within a millisecond). Replace it only to make ids deterministic in tests.
   */
  newUlid?: (time: number) => string
  /**
   * Told of each item a list (`listMessages`, `listMessageGroups`) leaves out because it does not fit the layout: a
   * message without `user_display_name`, a conversation row whose `message` is a number, a sort key that is not a
   * message's (items written by other code, by hand, or by an old version). The rest of the page is returned and
   * paging moves past the item. `problem` says what is wrong, e.g. `Missing required attribute for formatting:
   * 'user_display_name'.` Default: `console.warn` with the item's key and the problem (never its text). Called
   * synchronously; an exception it throws fails the list call.
   */
  onMalformedItem?: (item: Record<string, unknown>, problem: string) => void
  /**
   * Told of each cache lookup, hit or miss (see {@link CacheReadEvent}), e.g. for a hit-rate metric. Only with a
   * `cache`. Called synchronously; an exception it throws is ignored.
   */
  onCacheRead?: (event: CacheReadEvent) => void
  /**
   * Whether a send (`createMessage`, and `createMessageGroup` into an existing conversation) also brings the sender's
   * own conversation row to the message before it returns: one conditional UpdateItem (1 WCU and 2 index writes, which
   * the stream then does not spend), so a list the sender reloads at once shows the message. Default `true`. Turn it
   * off when your application updates its lists itself from `onApplied` events; the stream brings the row either way.
   */
  updateSenderRow?: boolean
}

/**
 * The messaging data layer of one table, returned by {@link createMessaging}.
 *
 * @example
 * ```ts
 * const messaging: MessagingClient = createMessaging({ client: new DynamoDBClient({}) })
 * const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi!' })
 * const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice!' }) // C
 * await messaging.updateMessageGroups(reply) // D, normally done by the stream handler
 * const page = await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid, limit: 20 }) // A
 * const conversations = await messaging.listMessageGroups({ userUuid: alice.uuid }) // B
 * await messaging.markRead({ messageGroupUuid, userUuid: alice.uuid })
 * const { messages } = await messaging.countUnread({ userUuid: bob.uuid }) // for a badge
 * ```
 */
export interface MessagingClient {
  /** The table this client reads and writes. */
  readonly tableName: string
  /** dynamodb-toolbox table and entities bound to this table and client, for your own access patterns. */
  readonly toolbox: MessagingEntities
  /**
   * Pattern A: a conversation's messages, newest first.
   * @throws {@link ValidationError} on bad input or a cursor from elsewhere.
   * @throws {@link NotAMemberError} when `viewerUuid` is given and takes part in no conversation with this uuid
   *   (whether none exists or they are not a participant: deliberately one answer).
   */
  listMessages(input: ListMessagesInput): Promise<Page<Message>>
  /**
   * Pattern B: a user's conversations, newest last message first.
   * @throws {@link ValidationError} on bad input or a cursor from elsewhere.
   */
  listMessageGroups(input: ListMessageGroupsInput): Promise<Page<MessageGroup>>
  /**
   * Pattern C: adds a message to a conversation the sender takes part in.
   * @throws {@link ValidationError}; {@link NotAMemberError} when the sender takes part in no conversation with this
   *   uuid (none exists, or they are not a participant); nothing is written.
   */
  createMessage(input: CreateMessageInput): Promise<Message>
  /**
   * Starts a conversation, or adds to the one the two already have.
   * @throws {@link ValidationError} (also when messaging yourself); nothing is written.
   */
  createMessageGroup(input: CreateMessageGroupInput): Promise<CreateMessageGroupResult>
  /**
   * Pattern D: brings each member's conversation row to `latest` when it is newer. Usually run by the stream.
   * @throws {@link ConcurrentUpdateError} when rows kept changing through every attempt.
   */
  updateMessageGroups(latest: LatestMessage, options?: UpdateMessageGroupsOptions): Promise<UpdateMessageGroupsResult>
  /**
   * The members of a conversation, or `undefined` when it has none. The uuid may be in any case.
   * @throws {@link ValidationError} when it is not a uuid.
   */
  getParticipants(messageGroupUuid: string): Promise<Participant[] | undefined>
  /**
   * Marks a conversation read for a member up to a message (default: its newest): one conditional write to their
   * conversation row. Never moves the read marker backwards; safe to repeat.
   * @throws {@link ValidationError}; {@link NotAMemberError} when the user takes part in no conversation with this uuid
   *   (none exists, or they are not a member: one answer); nothing is written.
   * @throws {@link ConcurrentUpdateError} when the row kept changing through every attempt.
   */
  markRead(input: MarkReadInput): Promise<MarkReadResult>
  /**
   * A user's unread totals for a badge, from the sparse `unread-index`: costs what their conversations with something
   * unread weigh, not what all of them do.
   * @throws {@link MissingIndexError} on a table without `unread-index` (made by 0.1.0 or the bootcamp).
   */
  countUnread(input: CountUnreadInput): Promise<UnreadTotals>
  /**
   * Starts a group of up to 1,000 members: the creator its `owner`, the others `member`s, each listing it at once.
   * @throws {@link ValidationError}; nothing is written.
   */
  createGroup(input: CreateGroupInput): Promise<CreateGroupResult>
  /**
   * Adds members to a group (its owner or an admin): they read its history and start with nothing unread.
   * @throws {@link NotAMemberError}, {@link ForbiddenError}, {@link ValidationError} (past 1,000 members).
   */
  addMembers(input: AddMembersInput): Promise<AddMembersResult>
  /**
   * Removes a member (the owner, or an admin for plain members), or lets one leave (`by` = `userUuid`); an owner who
   * leaves hands the group to the longest-standing admin, else member.
   * @throws {@link NotAMemberError}, {@link ForbiddenError}, {@link ValidationError}.
   */
  removeMember(input: RemoveMemberInput): Promise<RemoveMemberResult>
  /**
   * Renames a group (its owner or an admin).
   * @throws {@link NotAMemberError}, {@link ForbiddenError}, {@link ValidationError}.
   */
  renameGroup(input: RenameGroupInput): Promise<{ title: string }>
  /**
   * Makes a member an admin, or an admin a member again (the owner only).
   * @throws {@link NotAMemberError}, {@link ForbiddenError}, {@link ValidationError}.
   */
  setMemberRole(input: SetMemberRoleInput): Promise<{ role: 'admin' | 'member' }>
  /**
   * A page of a conversation's members with their roles and read markers, for a member.
   * @throws {@link NotAMemberError}, {@link ValidationError}.
   */
  listMembers(input: ListMembersInput): Promise<Page<GroupMember>>
}

/**
 * Creates the messaging data layer for one table. Options are checked here: a missing client, a bad table name or a
 * clock that is not a function is a {@link ValidationError} now, not a failure at the first call.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { createMessaging } from 'dynamo-messaging'
 *
 * const messaging = createMessaging({ client: new DynamoDBClient({}), tableName: 'cruddur-messages' })
 * const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob' })
 * await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice' })
 * const { items, cursor } = await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
 * const conversations = await messaging.listMessageGroups({ userUuid: alice.uuid })
 * ```
 */
export function createMessaging(options: MessagingOptions): MessagingClient {
  const check = new Validator()
  const fields = check.object('options', options)
  const clientOptions = validateClientOptions(check, fields)
  const now = check.callback<() => Date>('now', fields.now)
  const newUlid = check.callback<(time: number) => string>('newUlid', fields.newUlid)
  const onMalformedItem = check.callback<NonNullable<MessagingOptions['onMalformedItem']>>('onMalformedItem', fields.onMalformedItem)
  const cacheOptions = validateCacheOptions(check, fields)
  const onCacheRead = check.callback<NonNullable<MessagingOptions['onCacheRead']>>('onCacheRead', fields.onCacheRead)
  if (onCacheRead && !cacheOptions.cache) check.invalid('onCacheRead', 'applies only with a cache: give `cache` too')
  const updateSenderRow = check.boolean('updateSenderRow', fields.updateSenderRow)
  check.done()
  const ctx: MessagingContext = createContext({
    ...clientOptions,
    ...cacheOptions,
    ...(onCacheRead && { onCacheRead }),
    ...(now && { now }),
    ...(newUlid && { newUlid }),
    ...(onMalformedItem && { onMalformedItem }),
    ...(updateSenderRow !== undefined && { updateSenderRow })
  })
  return {
    tableName: ctx.tableName,
    toolbox: ctx.toolbox,
    listMessages: (input) => listMessages(ctx, input),
    listMessageGroups: (input) => listMessageGroups(ctx, input),
    createMessage: (input) => createMessage(ctx, input),
    createMessageGroup: (input) => createMessageGroup(ctx, input),
    updateMessageGroups: (latest, updateOptions) => updateMessageGroups(ctx, latest, updateOptions),
    getParticipants: (messageGroupUuid) => getParticipants(ctx, messageGroupUuid),
    markRead: (input) => markRead(ctx, input),
    countUnread: (input) => countUnread(ctx, input),
    createGroup: (input) => createGroup(ctx, input),
    addMembers: (input) => addMembers(ctx, input),
    removeMember: (input) => removeMember(ctx, input),
    renameGroup: (input) => renameGroup(ctx, input),
    setMemberRole: (input) => setMemberRole(ctx, input),
    listMembers: (input) => listMembers(ctx, input)
  }
}
