import { MessagingError } from './MessagingError.js'

/**
 * The client-chosen `messageId` already names a different message in this conversation: another sender's, or other
 * text. A retry must re-send the same message unchanged with its id; a new message needs a new id. Nothing was
 * written. (A retry of the same message with the same id is not an error: it answers with the stored message.)
 *
 * @example
 * ```ts
 * try {
 *   await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi!', messageId })
 * } catch (error) {
 *   if (error instanceof MessageIdConflictError) return reply.status(409).send({ errors: ['message_id_conflict'] })
 *   throw error
 * }
 * ```
 */
export class MessageIdConflictError extends MessagingError {
  /** The conversation that holds the other message. */
  readonly messageGroupUuid: string
  /** The reused id (upper case). */
  readonly messageId: string

  constructor(messageGroupUuid: string, messageId: string) {
    super('MESSAGE_ID_CONFLICT', `Message id ${messageId} already names another message in message group ${messageGroupUuid}`)
    this.messageGroupUuid = messageGroupUuid
    this.messageId = messageId
  }
}
