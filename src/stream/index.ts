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
export { planGroupUpdate, messageRangeToRead } from '../patterns/planGroupUpdate.js'
export type { GroupCounting, GroupUpdatePlan, ReadStateUpdate } from '../patterns/planGroupUpdate.js'
export type { MessageRange, MessageRangeBounds, RangeMessage } from '../unread/messageRange.js'
export type { ParticipantReadState, StoredReadState } from '../unread/readState.js'
export type { StoredMessageGroupRow } from '../table/rows.js'
export type { LatestMessage, LostGroupRow } from '../types.js'
export type { SyncOptions, SyncResult } from '../patterns/syncGroupRows.js'
export type { RowMove } from '../rowMove/rowMove.js'
export { StaleIndexError } from '../errors/StaleIndexError.js'
export { ValidationError } from '../errors/ValidationError.js'
export type { ValidationIssue } from '../errors/ValidationError.js'
export { MessagingError } from '../errors/MessagingError.js'
export type { MessagingErrorCode } from '../errors/MessagingError.js'
