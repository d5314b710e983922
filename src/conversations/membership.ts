import { GetCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'
import { memberKey, membershipVersionKey } from '../cache/cacheKeys.js'
import { lookup, type Lookup, type VersionedKey } from '../cache/lookup.js'
import { NotAMemberError } from '../errors/NotAMemberError.js'
import { memberSk, messagePk } from '../keys/keys.js'
import { memberOf, type StoredMember } from '../table/readMembers.js'

/** The cache keys of one user's membership of one conversation, for a lookup that reads them with others. */
export const membershipKeys = (tableName: string, messageGroupUuid: string, userUuid: string): VersionedKey => ({
  version: membershipVersionKey(tableName, messageGroupUuid),
  key: memberKey(tableName, messageGroupUuid, userUuid)
})

/**
 * The user as a member of the conversation (with their role), after checking that they are one: one strongly consistent GetItem of
 * their membership item (1 RCU whatever the conversation's size), or none when the cache holds it.
 *
 * @param cached the lookup that already read the membership keys with others, and their position in it
 * @throws {@link NotAMemberError} when the user is not a member, or no such conversation exists: one error for both,
 *   so that callers cannot tell a stranger which pairs talk.
 */
export async function assertMember(
  store: StoreContext,
  messageGroupUuid: string,
  userUuid: string,
  cached?: { lookup: Lookup; index: number }
): Promise<StoredMember> {
  const read = async () => {
    const { Item } = await store.documentClient.send(
      new GetCommand({ TableName: store.tableName, Key: { pk: messagePk(messageGroupUuid), sk: memberSk(userUuid) }, ConsistentRead: true })
    )
    const member = Item ? memberOf(userUuid, Item) : undefined
    // Only members are cached: a conversation created later must be found.
    return { value: member ?? null, store: member !== undefined }
  }
  const through = cached ?? { lookup: await lookup(store.cache, [membershipKeys(store.tableName, messageGroupUuid, userUuid)]), index: 0 }
  const member = await through.lookup.value(through.index, { kind: 'members', uuid: messageGroupUuid }, read)
  if (!member) throw new NotAMemberError(messageGroupUuid, userUuid)
  return member
}
