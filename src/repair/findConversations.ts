import { QueryCommand, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import { MEMBERS_SK, MESSAGE_GROUP_PREFIX, parseMessagePk } from '../keys/keys.js'
import { MESSAGE_GROUP_INDEX } from '../table/tableDefinition.js'
import { PAIR_LINK_ATTRIBUTE } from '../table/pairLink.js'

/** What a pass over the table found. */
export interface FoundConversations {
  /** Every conversation id, sorted. */
  messageGroupUuids: string[]
  /** The ids whose members slot holds a pair link (only a Scan of the table sees them). */
  pairLinks: Set<string>
  /** Items read. */
  items: number
}

/** How the finders read: pages of `pageSize` items. */
export interface FindOptions {
  pageSize: number
  /** Told after each page of the items read so far. */
  onPage?: (itemsRead: number) => void
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Every conversation in the table, from a Scan of the whole table: a conversation is a `MSG#` partition (its messages
 * or its members item) or a `message_group_uuid` on a row. Scanning the base table, not only the index, finds the
 * conversations whose every row was lost. A pair link is not a conversation. Ids that are not uuids are not this
 * layout's and are left out. Reads every item, so on AWS it costs read capacity for the whole table.
 */
export async function scanConversations(store: StoreContext, options: FindOptions): Promise<FoundConversations> {
  const ids = new Set<string>()
  const pairLinks = new Set<string>()
  const items = await scanPages(
    store,
    // Only the keys and what tells the kinds apart (reading costs the same; the answers are smaller).
    {
      ProjectionExpression: '#pk, #sk, message_group_uuid, #link',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#link': PAIR_LINK_ATTRIBUTE }
    },
    options,
    (item) => {
      const pk = typeof item.pk === 'string' ? item.pk : ''
      const fromPk = parseMessagePk(pk)
      if (fromPk !== undefined) {
        add(item.sk === MEMBERS_SK && item[PAIR_LINK_ATTRIBUTE] !== undefined ? pairLinks : ids, fromPk)
      } else if (pk.startsWith(MESSAGE_GROUP_PREFIX)) {
        add(ids, item.message_group_uuid)
      }
    }
  )
  return { messageGroupUuids: [...ids].sort(), pairLinks, items }
}

/**
 * The conversations of one user: those in the user's own list (a strongly consistent Query of `GRP#<user>`), and
 * those whose other participant's row describes the user (a Scan of the index, which holds only conversation rows),
 * which finds a conversation whose row of this user was lost. A conversation that lost both rows is found only by
 * {@link scanConversations}.
 */
export async function userConversations(store: StoreContext, userUuid: string, options: FindOptions): Promise<FoundConversations> {
  const ids = new Set<string>()
  let items = 0
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await store.documentClient.send(
        new QueryCommand({
          TableName: store.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `${MESSAGE_GROUP_PREFIX}${userUuid}` },
          ProjectionExpression: 'message_group_uuid',
          ConsistentRead: true,
          Limit: options.pageSize,
          ExclusiveStartKey
        })
      )
    for (const item of page.Items ?? []) add(ids, item.message_group_uuid)
    items += page.Items?.length ?? 0
    options.onPage?.(items)
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  items += await scanPages(
    store,
    {
      IndexName: MESSAGE_GROUP_INDEX,
      FilterExpression: 'user_uuid = :user',
      ExpressionAttributeValues: { ':user': userUuid },
      ProjectionExpression: 'message_group_uuid'
    },
    { ...options, onPage: (read) => options.onPage?.(items + read) },
    (item) => add(ids, item.message_group_uuid)
  )
  return { messageGroupUuids: [...ids].sort(), pairLinks: new Set(), items }
}

/** Scans every page, handing each item to `visit`; returns the number of items read. */
async function scanPages(
  store: StoreContext,
  input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
  options: FindOptions,
  visit: (item: Record<string, unknown>) => void
): Promise<number> {
  let items = 0
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await store.documentClient.send(
      new ScanCommand({ ...input, TableName: store.tableName, Limit: options.pageSize, ExclusiveStartKey })
    )
    for (const item of page.Items ?? []) visit(item)
    items += page.ScannedCount ?? page.Items?.length ?? 0
    options.onPage?.(items)
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return items
}

function add(ids: Set<string>, value: unknown): void {
  if (typeof value === 'string' && UUID.test(value)) ids.add(value)
}
