/**
 * Stable machine-readable codes carried by every {@link MessagingError}.
 *
 * @example
 * ```ts
 * const status: Record<MessagingErrorCode, number> = {
 *   VALIDATION: 422,
 *   NOT_A_MEMBER: 404, // the same answer whether the conversation exists or not
 *   CONCURRENT_UPDATE: 503, // rows kept changing: try again
 *   FORBIDDEN: 403, // a member's role does not allow it
 *   TABLE_LAYOUT: 500, // only `dynamo-messaging/admin` throws it
 *   MISSING_INDEX: 500, // the table needs an index added (an operator's task, not the caller's)
 *   MESSAGE_ID_CONFLICT: 409 // the client reused a message id for another message
 * }
 * if (error instanceof MessagingError) return reply.status(status[error.code]).send({ error: error.code })
 * ```
 */
export type MessagingErrorCode =
  | 'VALIDATION'
  | 'NOT_A_MEMBER'
  | 'CONCURRENT_UPDATE'
  | 'FORBIDDEN'
  | 'TABLE_LAYOUT'
  | 'MISSING_INDEX'
  | 'MESSAGE_ID_CONFLICT'

/**
 * Base class of every error this library throws on purpose. Switch on `code`, which never changes between versions;
 * `message` is for people and may.
 *
 * @example
 * ```ts
 * try {
 *   await messaging.createMessage(input)
 * } catch (error) {
 *   if (error instanceof MessagingError && error.code === 'NOT_A_MEMBER') return reply.status(404).send()
 *   throw error
 * }
 * ```
 */
export class MessagingError extends Error {
  /** What went wrong, as a stable code; the subclass tells the same. */
  readonly code: MessagingErrorCode

  constructor(code: MessagingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}
