import { MessagingError } from './MessagingError.js'

/**
 * The user is not a participant of the conversation they tried to read or write. Nothing was written.
 *
 * @example
 * ```ts
 * try {
 *   await messaging.listMessages({ messageGroupUuid, viewerUuid })
 * } catch (error) {
 *   if (error instanceof NotAMemberError) return reply.status(403).send({ error: error.code })
 *   throw error
 * }
 * ```
 */
export class NotAMemberError extends MessagingError {
  /** The conversation that was read or written. */
  readonly messageGroupUuid: string
  /** The user who is not one of its participants. */
  readonly userUuid: string

  constructor(messageGroupUuid: string, userUuid: string) {
    super('NOT_A_MEMBER', `User ${userUuid} is not a participant of message group ${messageGroupUuid}`)
    this.messageGroupUuid = messageGroupUuid
    this.userUuid = userUuid
  }
}
