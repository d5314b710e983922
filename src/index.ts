/**
 * Direct messaging on one DynamoDB table: {@link createMessaging} (access patterns A to D), the table's definition
 * ({@link tableDefinition}), key builders, dynamodb-toolbox entities, typed errors, and Pattern D from the table's
 * stream (also alone as `dynamo-messaging/stream`).
 *
 * @example
 * ```ts
 * import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { createMessaging, tableDefinition } from 'dynamo-messaging'
 *
 * const client = new DynamoDBClient({})
 * await client.send(new CreateTableCommand(tableDefinition()))
 * const messaging = createMessaging({ client })
 * ```
 *
 * @module dynamo-messaging
 */
export { createMessaging } from './createMessaging.js'
export type { MessagingClient, MessagingOptions } from './createMessaging.js'
export type { ClientOptions } from './context.js'
export type { MessagingCache, CacheOperation, CacheOptions, CacheReadEvent } from './cache/MessagingCache.js'
export type {
  Message,
  MessageGroup,
  MessageGroupBase,
  DirectMessageGroup,
  GroupMessageGroup,
  GroupMember,
  GroupRole,
  Page,
  Participant
} from './types.js'
export type { CreateGroupInput, CreateGroupResult } from './groups/createGroup.js'
export type { AddMembersInput, AddMembersResult } from './groups/addMembers.js'
export type { RemoveMemberInput, RemoveMemberResult } from './groups/removeMember.js'
export type { RenameGroupInput } from './groups/renameGroup.js'
export type { SetMemberRoleInput } from './groups/setMemberRole.js'
export type { ListMembersInput } from './groups/listMembers.js'
export type { ListMessagesInput } from './conversations/listMessages.js'
export type { ListMessageGroupsInput } from './conversations/listMessageGroups.js'
export type { CreateMessageInput, MessageIdField } from './conversations/createMessage.js'
export type { CreateMessageGroupInput, CreateMessageGroupResult } from './conversations/createMessageGroup.js'
export type { UpdateMessageGroupsOptions, UpdateMessageGroupsResult } from './conversations/updateMessageGroups.js'
export type { MarkReadInput, MarkReadResult } from './conversations/markRead.js'
export type { CountUnreadInput, UnreadTotals } from './conversations/countUnread.js'

export {
  MESSAGE_PREFIX,
  MESSAGE_GROUP_PREFIX,
  CONVERSATION_SK,
  MEMBER_SK_PREFIX,
  messagePk,
  messageGroupPk,
  memberSk,
  rowKey,
  parseMessagePk,
  parseMessageGroupPk,
  parseMemberSk,
  messageSk,
  isMessageSortKey,
  timeOfSortKey
} from './keys/keys.js'
export { messageGroupUuidFor } from './ids/messageGroupUuidFor.js'
export { tableDefinition, DEFAULT_TABLE_NAME, INBOX_INDEX, UNREAD_INDEX } from './table/tableDefinition.js'
export type { TableDefinitionOptions } from './table/tableDefinition.js'
export {
  createMessagingTable,
  MessagingTable,
  MessageEntity,
  MessageGroupEntity,
  MemberEntity,
  ConversationEntity
} from './table/createMessagingTable.js'
export type { MessagingTableOptions } from './table/createMessagingTable.js'

export { applicationPolicy, MESSAGING_OPERATIONS } from './iam/applicationPolicy.js'
export type { ApplicationPolicyOptions, IamPolicyDocument, IamPolicyStatement, MessagingOperation } from './iam/applicationPolicy.js'

export { MessagingError } from './errors/MessagingError.js'
export type { MessagingErrorCode } from './errors/MessagingError.js'
export { ValidationError } from './errors/ValidationError.js'
export type { ValidationIssue } from './errors/ValidationError.js'
export { NotAMemberError } from './errors/NotAMemberError.js'
export { ConcurrentUpdateError } from './errors/ConcurrentUpdateError.js'
export { ForbiddenError } from './errors/ForbiddenError.js'
export { MissingIndexError } from './errors/MissingIndexError.js'
export { MessageIdConflictError } from './errors/MessageIdConflictError.js'
export { MAX_MESSAGE_CHARS, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, MAX_TITLE_CHARS, MAX_GROUP_MEMBERS } from './validation/validate.js'

// Pattern D from the table's stream (also alone as `dynamo-messaging/stream`).
export * from './stream/index.js'
