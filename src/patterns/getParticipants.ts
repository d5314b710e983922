import type { MessagingContext } from '../context.js'
import type { Participant } from '../types.js'
import { Validator } from '../validation/validate.js'
import { readParticipants } from './membership.js'

/**
 * {@link MessagingClient.getParticipants}: the uuid is checked and lower-cased like every other input, so an
 * upper-case uuid finds the same conversation as in `listMessages`, and a non-uuid is a `ValidationError`.
 */
export async function getParticipants(ctx: MessagingContext, messageGroupUuid: unknown): Promise<Participant[] | undefined> {
  const check = new Validator()
  const uuid = check.uuid('messageGroupUuid', messageGroupUuid)
  check.done()
  return readParticipants(ctx, uuid)
}
