/**
 * The stream path alone: what a Lambda on the table's stream needs (Pattern D), without the dynamodb-toolbox entities,
 * so the function's bundle stays small. Everything here is also exported by `dynamo-messaging`.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { createStreamHandler } from 'dynamo-messaging/stream'
 *
 * export const handler = createStreamHandler({ client: new DynamoDBClient({}), tableName: process.env.TABLE_NAME })
 * ```
 *
 * @module dynamo-messaging/stream
 */
export { createStreamHandler } from './createStreamHandler.js'
export type { AppliedConversation, StreamHandler, StreamHandlerOptions } from './createStreamHandler.js'
export type { MessagingCache, CacheOperation, CacheOptions } from '../cache/MessagingCache.js'
export { applyStreamRecord } from './applyStreamRecord.js'
export type { StreamRecordOutcome } from './applyStreamRecord.js'
export { readStreamMessage } from './readStreamMessage.js'
export type { StreamMessage, StreamSkipReason } from './readStreamMessage.js'
export type { DynamoDBStreamBatch, DynamoDBStreamRecord, StreamAttributeValue, StreamBatchResponse } from './types.js'
export { planInboxUpdate } from '../inbox/planInboxUpdate.js'
export type { InboxPlan, InboxView, RowState, RowUpdate } from '../inbox/planInboxUpdate.js'
export type { MessageRange, MessageRangeBounds, RangeMessage } from '../inbox/messageRange.js'
export { UNREAD_COUNT_CAP } from '../inbox/readState.js'
export type { ParticipantReadState, StoredReadState } from '../inbox/readState.js'
export type { InboxUpdateOptions, InboxUpdateResult } from '../inbox/updateInbox.js'
export type { StoredMessageGroupRow } from '../table/rows.js'
export type { LatestMessage } from '../types.js'
export { ConcurrentUpdateError } from '../errors/ConcurrentUpdateError.js'
export { ValidationError } from '../errors/ValidationError.js'
export type { ValidationIssue } from '../errors/ValidationError.js'
export { MessagingError } from '../errors/MessagingError.js'
export type { MessagingErrorCode } from '../errors/MessagingError.js'
