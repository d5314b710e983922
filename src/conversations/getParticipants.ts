import type { StoreContext } from '../createStoreContext.js'
import { readConversation } from '../table/readMembers.js'
import type { Participant } from '../types.js'
import { Validator } from '../validation/validate.js'

/**
 * {@link MessagingClient.getParticipants}: the members, from one strongly consistent Query of the membership items, or
 * `undefined` when the conversation has none. The uuid is checked and lower-cased like every other input.
 */
export async function getParticipants(store: StoreContext, messageGroupUuid: unknown): Promise<Participant[] | undefined> {
  const check = new Validator()
  const uuid = check.uuid('messageGroupUuid', messageGroupUuid)
  check.done()
  const { members } = await readConversation(store, uuid)
  return members.length > 0 ? members.map(({ uuid, displayName, handle }) => ({ uuid, displayName, handle })) : undefined
}
