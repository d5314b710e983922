import { MessagingError } from './MessagingError.js'

/**
 * No conversation has this uuid. Nothing was written (the seeds created an orphan partition here).
 *
 * @example
 * ```ts
 * try {
 *   await messaging.createMessage({ messageGroupUuid, sender, message: 'hi' })
 * } catch (error) {
 *   if (error instanceof MessageGroupNotFoundError) return reply.status(404).send({ error: error.code })
 *   throw error
 * }
 * ```
 */
export class MessageGroupNotFoundError extends MessagingError {
  /** The uuid that names no conversation. */
  readonly messageGroupUuid: string

  constructor(messageGroupUuid: string) {
    super('MESSAGE_GROUP_NOT_FOUND', `Message group ${messageGroupUuid} does not exist`)
    this.messageGroupUuid = messageGroupUuid
  }
}
