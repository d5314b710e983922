import { invalidate } from '../cache/invalidate.js'
import type { StoreContext } from '../createStoreContext.js'
import { readConversation } from '../table/readMembers.js'

/**
 * After a change of a group's members, title or roles: its membership and every member's lists (which show its title
 * and member count), with `also` (members who left). One cache call per member; nothing without a cache.
 */
export async function invalidateGroup(store: StoreContext, messageGroupUuid: string, also: readonly string[] = []): Promise<void> {
  if (!store.cache) return
  const { members } = await readConversation(store, messageGroupUuid)
  await invalidate(store, { memberships: [messageGroupUuid], users: [...members.map((member) => member.uuid), ...also] })
}
