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
export type { Message, MessageGroup, Page, Participant } from './types.js'
export type { ListMessagesInput } from './patterns/listMessages.js'
export type { ListMessageGroupsInput } from './patterns/listMessageGroups.js'
export type { CreateMessageInput, MessageIdField } from './patterns/createMessage.js'
export type { CreateMessageGroupInput, CreateMessageGroupResult } from './patterns/createMessageGroup.js'
export type { UpdateMessageGroupsOptions, UpdateMessageGroupsResult } from './patterns/updateMessageGroups.js'
export type { MarkReadInput, MarkReadResult } from './patterns/markRead.js'
export type { CountUnreadInput, UnreadTotals } from './patterns/countUnread.js'

export {
  MESSAGE_PREFIX,
  MESSAGE_GROUP_PREFIX,
  MEMBERS_SK,
  messagePk,
  messageGroupPk,
  parseMessagePk,
  parseMessageGroupPk,
  messageSk,
  isMessageSortKey,
  timeOfSortKey
} from './keys/keys.js'
export { messageGroupUuidFor } from './ids/messageGroupUuidFor.js'
export { tableDefinition, DEFAULT_TABLE_NAME, MESSAGE_GROUP_INDEX, UNREAD_INDEX } from './table/tableDefinition.js'
export type { TableDefinitionOptions } from './table/tableDefinition.js'
export { createMessagingTable, MessagingTable, MessageEntity, MessageGroupEntity } from './table/createMessagingTable.js'
export type { MessagingTableOptions } from './table/createMessagingTable.js'

export { MessagingError } from './errors/MessagingError.js'
export type { MessagingErrorCode } from './errors/MessagingError.js'
export { ValidationError } from './errors/ValidationError.js'
export type { ValidationIssue } from './errors/ValidationError.js'
export { NotAMemberError } from './errors/NotAMemberError.js'
export { StaleIndexError } from './errors/StaleIndexError.js'
export { MissingIndexError } from './errors/MissingIndexError.js'
export { MessageIdConflictError } from './errors/MessageIdConflictError.js'
export { MAX_MESSAGE_CHARS, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './validation/validate.js'

// Pattern D from the table's stream (also alone as `dynamo-messaging/stream`).
export * from './stream/index.js'
