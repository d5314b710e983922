import { MessagingError } from './MessagingError.js'

/**
 * The user takes part in no conversation with this uuid: either none exists or the user is not one of its
 * participants. Nothing was written.
 *
 * The two cases are deliberately one error. Conversation ids follow from the pair ({@link messageGroupUuidFor}) and
 * user uuids are not secret, so an answer that told "exists" from "does not exist" would let anyone learn who talks to
 * whom. Servers should answer both the same way (the example server: 404 `message_group_not_found`).
 *
 * @example
 * ```ts
 * try {
 *   await messaging.listMessages({ messageGroupUuid, viewerUuid })
 * } catch (error) {
 *   if (error instanceof NotAMemberError) return reply.status(404).send({ errors: ['message_group_not_found'] })
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
    super('NOT_A_MEMBER', `User ${userUuid} takes part in no message group ${messageGroupUuid}`)
    this.messageGroupUuid = messageGroupUuid
    this.userUuid = userUuid
  }
}
