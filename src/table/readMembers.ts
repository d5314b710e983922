import { MEMBER_SK_PREFIX, MESSAGE_SK_FLOOR, messagePk, parseMemberSk } from '../keys/keys.js'
import type { StoreContext } from '../createStoreContext.js'
import type { GroupRole, Participant } from '../types.js'
import { queryAll } from './queryAll.js'

/** A member as their membership item stores them. */
export interface StoredMember extends Participant {
  role: GroupRole
  /** When they joined, ISO-8601 UTC ('' when the item has none). */
  joinedAt: string
}

/**
 * A conversation's own item and its members, from one strongly consistent Query of the items in its partition that
 * sort before its messages (`#CONVERSATION`, `#MEMBER#…`): O(members), however many messages it holds. Plain document
 * client reads keep the stream path free of the toolbox entities.
 */
export async function readConversation(
  store: StoreContext,
  messageGroupUuid: string
): Promise<{ conversation?: Record<string, unknown>; members: StoredMember[] }> {
  const items = await queryAll(store, {
    KeyConditionExpression: 'pk = :pk AND sk < :floor',
    ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':floor': MESSAGE_SK_FLOOR },
    ConsistentRead: true
  })
  const members = items.flatMap((item) => {
    const uuid = typeof item.sk === 'string' ? parseMemberSk(item.sk) : undefined
    return uuid ? [memberOf(uuid, item)] : []
  })
  const conversation = items.find((item) => typeof item.sk === 'string' && !item.sk.startsWith(MEMBER_SK_PREFIX))
  return { ...(conversation && { conversation }), members }
}

const ROLES: readonly GroupRole[] = ['owner', 'admin', 'member']

/** A stored membership item as a member. */
export const memberOf = (uuid: string, item: Record<string, unknown>): StoredMember => ({
  uuid,
  displayName: String(item.user_display_name ?? ''),
  handle: String(item.user_handle ?? ''),
  role: ROLES.includes(item.role as GroupRole) ? (item.role as GroupRole) : 'member',
  joinedAt: typeof item.joined_at === 'string' ? item.joined_at : ''
})
