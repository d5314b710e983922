import type { StoreContext } from '../context.js'
import { readMembersSlot } from '../table/pairLink.js'
import type { Participant } from '../types.js'

/**
 * The conversation's members from its members item (one consistent GetItem), or `undefined` when it has none (the
 * bootcamp code wrote none; a pair link holds none either). Plain document-client reads keep the stream path free of
 * the toolbox entities.
 */
export async function readMembers(store: StoreContext, messageGroupUuid: string): Promise<Participant[] | undefined> {
  return membersOf(await readMembersSlot(store, messageGroupUuid))
}

/** The members a stored members item lists, or `undefined` when the item is absent or has no `members` list. */
export function membersOf(item: Record<string, unknown> | undefined): Participant[] | undefined {
  if (!item || !Array.isArray(item.members)) return undefined
  return (item.members as Array<Record<string, unknown>>).flatMap((member) =>
    typeof member?.user_uuid === 'string'
      ? [{ uuid: member.user_uuid, displayName: String(member.user_display_name ?? ''), handle: String(member.user_handle ?? '') }]
      : []
  )
}
