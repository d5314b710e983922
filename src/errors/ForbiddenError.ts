import { MessagingError } from './MessagingError.js'

/**
 * A member tried what their role does not allow: a plain member adding, removing or renaming, an admin making admins,
 * someone editing another's message. Nothing was written. (A stranger to the conversation gets
 * {@link NotAMemberError} instead, which tells nothing about it.)
 *
 * @example
 * ```ts
 * try {
 *   await messaging.addMembers({ messageGroupUuid, by: user.uuid, members })
 * } catch (error) {
 *   if (error instanceof ForbiddenError) return reply.status(403).send({ errors: ['forbidden'] })
 *   throw error
 * }
 * ```
 */
export class ForbiddenError extends MessagingError {
  /** The conversation acted on. */
  readonly messageGroupUuid: string
  /** Who tried. */
  readonly userUuid: string
  /** What they tried, e.g. `add members`. */
  readonly action: string

  constructor(messageGroupUuid: string, userUuid: string, action: string) {
    super('FORBIDDEN', `User ${userUuid} may not ${action} in message group ${messageGroupUuid}`)
    this.messageGroupUuid = messageGroupUuid
    this.userUuid = userUuid
    this.action = action
  }
}
