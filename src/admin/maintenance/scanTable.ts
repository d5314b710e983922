import type { StoreContext } from '../../createStoreContext.js'
import { compare } from '../../keys/compare.js'
import { CONVERSATION_SK, isMessageSortKey, MESSAGE_PREFIX, parseMemberSk, parseMessageGroupPk, parseMessagePk } from '../../keys/keys.js'
import { PAIR_LINK_ATTRIBUTE } from '../../table/pairLink.js'
import { LEGACY_MEMBERS_SK } from './legacyLayout.js'
import { approximateItemCount } from './approximateItemCount.js'
import { scanPages } from './scanPages.js'
import type { RunOptions } from './validateMaintenanceOptions.js'

/**
 * What one pass over the table saw of one conversation id (the keys of its items, and what tells their kinds apart).
 * `#`-items and messages sit in its partition `MSG#<id>`; rows in their owners' partitions.
 */
export interface ConversationInventory {
  /** It has a conversation item (`#CONVERSATION`, not a pair link). */
  conversation: boolean
  /** Its conversation item is a group's (`kind` `group`): never of an old layout, never a pair's. */
  group: boolean
  /** Its `#CONVERSATION` slot holds a pair link to this conversation (the id is a pair's derived id). */
  link?: string
  /** Its `#MEMBERS` slot holds a pair link of 0.2 to this conversation. */
  legacyLink?: string
  /** It has a `#MEMBERS` item listing members (0.2). */
  legacyMembers: boolean
  /** Users with a membership item. */
  members: string[]
  /** The newest message sort key seen. */
  newestSk?: string
  /** Owners of rows at `GRP#<owner>` / `MSG#<id>`. */
  rowOwners: string[]
  /** Keys of rows of the old layouts (`GRP#<owner>` / `<message sort key>`, with `message_group_uuid` = the id). */
  legacyRows: Array<{ pk: string; sk: string }>
}

/** Everything one Scan of the table found, by conversation id (sorted), and the items it read. */
export interface TableInventory {
  conversations: Map<string, ConversationInventory>
  items: number
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Reads the whole table once (a Scan, in pages of `pageSize`) and sorts what it sees by conversation: the one pass
 * that finds conversations whose every row is gone, rows of people who are not members, and every item of the old
 * layouts. Only the keys and the attributes that tell kinds apart are returned (reading costs the same; the answers
 * are smaller). Ids that are not lower-case uuids are not this layout's and are left out. `onProgress` hears of the
 * `find` phase, out of the table's approximate item count.
 */
export async function scanTable(store: StoreContext, options: Pick<RunOptions, 'pageSize' | 'onProgress'>): Promise<TableInventory> {
  const total = options.onProgress ? await approximateItemCount(store) : undefined
  const conversations = new Map<string, ConversationInventory>()
  const of = (id: unknown): ConversationInventory | undefined => {
    if (typeof id !== 'string' || !UUID.test(id)) return undefined
    let entry = conversations.get(id)
    if (!entry) conversations.set(id, (entry = { conversation: false, group: false, legacyMembers: false, members: [], rowOwners: [], legacyRows: [] }))
    return entry
  }
  const items = await scanPages(
    store,
    {
      ProjectionExpression: '#pk, #sk, message_group_uuid, #link, #kind',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#link': PAIR_LINK_ATTRIBUTE, '#kind': 'kind' }
    },
    { pageSize: options.pageSize, onPage: (done) => options.onProgress?.({ phase: 'find', done, ...(total !== undefined && { total }) }) },
    (item) => sortItem(item, of)
  )
  const sorted = [...conversations].sort(([a], [b]) => compare(a, b))
  return { conversations: new Map(sorted), items }
}

function sortItem(item: Record<string, unknown>, of: (id: unknown) => ConversationInventory | undefined): void {
  const pk = typeof item.pk === 'string' ? item.pk : ''
  const sk = typeof item.sk === 'string' ? item.sk : ''
  const link = typeof item[PAIR_LINK_ATTRIBUTE] === 'string' ? (item[PAIR_LINK_ATTRIBUTE] as string) : undefined
  const group = parseMessagePk(pk)
  if (group !== undefined) {
    const entry = of(group)
    if (!entry) return
    if (sk === CONVERSATION_SK) {
      if (link !== undefined) entry.link = link
      else entry.conversation = true
      if (item.kind === 'group') entry.group = true
    } else if (sk === LEGACY_MEMBERS_SK) {
      if (link !== undefined) entry.legacyLink = link
      else entry.legacyMembers = true
    } else if (parseMemberSk(sk) !== undefined) {
      entry.members.push(parseMemberSk(sk)!)
    } else if (isMessageSortKey(sk) && (entry.newestSk === undefined || compare(sk, entry.newestSk) > 0)) {
      entry.newestSk = sk
    }
    return
  }
  const owner = parseMessageGroupPk(pk)
  if (owner === undefined) return
  if (sk.startsWith(MESSAGE_PREFIX)) of(parseMessagePk(sk))?.rowOwners.push(owner)
  else of(item.message_group_uuid)?.legacyRows.push({ pk, sk })
}

