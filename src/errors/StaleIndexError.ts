import { MessagingError } from './MessagingError.js'

/**
 * The `message-group-sk-index` GSI kept showing rows that the table no longer has, or Pattern D could not name every
 * participant of the conversation, after retries. Nothing was lost or half-written: retry later (a stream handler
 * reports the record as failed, so Lambda redelivers it).
 *
 * @example
 * ```ts
 * try {
 *   await messaging.updateMessageGroups(latest)
 * } catch (error) {
 *   if (error instanceof StaleIndexError) scheduleRetry(latest)
 *   else throw error
 * }
 * ```
 */
export class StaleIndexError extends MessagingError {
  /** The conversation whose rows could not be updated yet. */
  readonly messageGroupUuid: string

  constructor(messageGroupUuid: string, options?: { cause?: unknown }) {
    super('STALE_INDEX', `The index still disagrees with the table for message group ${messageGroupUuid}; retry later`, options)
    this.messageGroupUuid = messageGroupUuid
  }
}
