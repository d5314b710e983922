import type { StoreContext } from '../../createStoreContext.js'
import { compare } from '../../keys/compare.js'
import { MESSAGE_PREFIX, messageGroupPk, parseMessagePk } from '../../keys/keys.js'
import { queryAll } from '../../table/queryAll.js'
import { INBOX_INDEX } from '../../table/tableDefinition.js'
import { scanPages } from '../maintenance/scanPages.js'

/** A user's conversations, as {@link findUserConversations} finds them. */
export interface UserConversations {
  /** Every conversation found, sorted. */
  messageGroupUuids: string[]
  /** Those in which the user has a row. */
  withRow: Set<string>
}

/**
 * The conversations of one user: those in the user's own list (a strongly consistent Query of `GRP#<user>`), and those
 * whose other member's row describes the user (a Scan of `inbox-index`, which holds only rows), which finds a
 * conversation whose row of this user was deleted.
 */
export async function findUserConversations(
  store: StoreContext,
  userUuid: string,
  options: { pageSize: number; onPage?: (itemsRead: number) => void }
): Promise<UserConversations> {
  const own = await queryAll<{ sk: string }>(store, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
    ExpressionAttributeValues: { ':pk': messageGroupPk(userUuid), ':msg': MESSAGE_PREFIX },
    ProjectionExpression: 'sk',
    ConsistentRead: true
  })
  const withRow = new Set(own.flatMap((item) => parseMessagePk(item.sk) ?? []))
  const ids = new Set(withRow)
  await scanPages(
    store,
    { IndexName: INBOX_INDEX, FilterExpression: 'user_uuid = :user', ExpressionAttributeValues: { ':user': userUuid }, ProjectionExpression: 'sk' },
    { ...options, read: own.length },
    (item) => {
      const id = typeof item.sk === 'string' ? parseMessagePk(item.sk) : undefined
      if (id !== undefined) ids.add(id)
    }
  )
  return { messageGroupUuids: [...ids].sort(compare), withRow }
}
