import { MessagingError } from './MessagingError.js'

/**
 * A conversation row kept changing between its read and its conditional write, through every attempt (other writers
 * of the same rows: a burst of `markRead`s, two stream consumers of one conversation). Rows already written stay
 * written; repeating the call finishes the rest. The stream handler reports the records as failed, so Lambda
 * delivers them again.
 *
 * @example
 * ```ts
 * try {
 *   await messaging.markRead({ messageGroupUuid, userUuid })
 * } catch (error) {
 *   if (error instanceof ConcurrentUpdateError) return reply.status(503).header('retry-after', '1').send()
 *   throw error
 * }
 * ```
 */
export class ConcurrentUpdateError extends MessagingError {
  /** The conversation whose rows kept changing. */
  readonly messageGroupUuid: string

  constructor(messageGroupUuid: string, rows: number, options?: { cause?: unknown }) {
    super('CONCURRENT_UPDATE', `${rows} row(s) of message group ${messageGroupUuid} kept changing while they were updated`, options)
    this.messageGroupUuid = messageGroupUuid
  }
}
