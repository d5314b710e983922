import type { MessagingContext } from '../context.js'
import { openPage } from '../cursor/openPage.js'
import { compare } from '../keys/compare.js'
import { CONVERSATION_SK, messageGroupPk, messagePk, parseMessagePk } from '../keys/keys.js'
import { backOff } from '../retry/backOff.js'
import type { RowWatermark } from '../cache/watermark.js'
import { INBOX_INDEX } from '../table/tableDefinition.js'
import type { FormattedMessageGroup } from '../table/rows.js'
import type { MessageGroup, Page } from '../types.js'
import { Validator } from '../validation/validate.js'
import { queryListing } from './queryListing.js'
import { toMessageGroup, type GroupFacts } from './toMessageGroup.js'
import { batchGetItems } from '../table/batchGetItems.js'
import { lookup } from '../cache/lookup.js'
import { pageKey, userScope, versionKey } from '../cache/cacheKeys.js'

/**
 * Input of {@link MessagingClient.listMessageGroups} (Pattern B).
 *
 * @example
 * ```ts
 * const first = await messaging.listMessageGroups({ userUuid: alice.uuid, limit: 10 })
 * const next = await messaging.listMessageGroups({ userUuid: alice.uuid, limit: 10, cursor: first.cursor })
 * ```
 */
export interface ListMessageGroupsInput {
  /** The user whose conversations to list. */
  userUuid: string
  /** Conversations per page, 1 to 100. Default 20. */
  limit?: number
  /** The `cursor` of the previous page. */
  cursor?: string
}

/** Index reads of a page that does not show the newest write yet, and the first wait between them (doubled). */
const INDEX_READS = 4
const INDEX_RETRY_MS = 25
/**
 * A page read within this long of a write to the user's rows is served but not cached: the index may not show an
 * earlier write to another of the user's rows yet (the version names only the newest write's rows).
 */
export const INDEX_SETTLE_MS = 1_000

/**
 * Pattern B: a user's conversations, the one with the newest last message first, a page at a time, from the
 * `inbox-index` (eventually consistent, like every GSI read: a write may show a moment later). A page never shows a
 * conversation twice. With a cache, a page is stored only when it shows the rows the newest write to the user left
 * (the index is read again briefly until it does), so a cached page is never older than the writes it was told of.
 */
export async function listMessageGroups(ctx: MessagingContext, input: ListMessageGroupsInput): Promise<Page<MessageGroup>> {
  const check = new Validator()
  const fields = check.object('input', input)
  const userUuid = check.uuid('userUuid', fields.userUuid)
  const limit = check.limit('limit', fields.limit)
  check.done()
  const pk = messageGroupPk(userUuid)
  const page = openPage({ table: ctx.tableName, pattern: 'B', pk }, fields.cursor)
  const layer = ctx.cache
  const scope = userScope(userUuid)
  const cached = await lookup(layer, layer ? [{ version: versionKey(layer.tableName, scope), key: pageKey(layer.tableName, scope, limit, page.startSk) }] : [])

  return cached.value(0, { kind: 'B', uuid: userUuid }, async (seen) => {
    for (let read = 1; ; read++) {
      // Settled is judged from when the index was asked, not answered: a slow answer may predate the settle time.
      const askedAt = Date.now()
      const { items, lastEvaluatedKey } = await queryListing(ctx, ctx.toolbox.MessageGroupEntity, {
        index: INBOX_INDEX,
        partition: pk,
        limit,
        ...(page.exclusiveStartKey && { exclusiveStartKey: page.exclusiveStartKey })
      })
      const fresh = seen.rows.every((mark) => shows(items, mark, page.exclusiveStartKey?.last_sk, lastEvaluatedKey?.last_sk))
      if (fresh || read >= INDEX_READS) {
        // Within a page the index may list a row at its old and new place while it moves: the newest wins.
        const seenGroups = new Set<string>()
        const newest = items.filter((item) => !seenGroups.has(item.message_group_uuid) && seenGroups.add(item.message_group_uuid))
        const groups = await readGroupFacts(ctx, newest, cached.cached)
        const listed = newest.flatMap((item) => {
          const group = toMessageGroup(item, groups.get(item.message_group_uuid))
          if (!group) ctx.onMalformedItem({ pk: pk, sk: messagePk(item.message_group_uuid) }, unshownRow(item))
          return group ? [group] : []
        })
        const settled = seen.at === undefined || askedAt - seen.at >= INDEX_SETTLE_MS
        return { value: page.close(listed, lastEvaluatedKey), store: fresh && settled }
      }
      await backOff(read, INDEX_RETRY_MS)
    }
  })
}

/**
 * The title and member count of the groups on a page, from their conversation items (one BatchGetItem; strongly
 * consistent when the page fills a cache, since a rename or a membership change invalidates the members' pages). A
 * group's row holds neither, so a rename or a membership change writes one item, not one per member.
 */
async function readGroupFacts(ctx: MessagingContext, rows: readonly FormattedMessageGroup[], consistent: boolean): Promise<Map<string, GroupFacts>> {
  const keys = rows.filter((row) => row.kind === 'group').map((row) => ({ pk: messagePk(row.message_group_uuid), sk: CONVERSATION_SK }))
  const facts = new Map<string, GroupFacts>()
  if (keys.length === 0) return facts
  for (const item of await batchGetItems(ctx, keys, consistent)) {
    const uuid = typeof item.pk === 'string' ? parseMessagePk(item.pk) : undefined
    if (uuid && typeof item.title === 'string' && typeof item.member_count === 'number') facts.set(uuid, { title: item.title, memberCount: item.member_count })
  }
  return facts
}

/**
 * Whether a page shows a row a write left: at that revision or a later one, or not at all when the row's last message
 * places it on another page (above `start`, or below `end` when more pages follow).
 */
function shows(items: readonly FormattedMessageGroup[], mark: RowWatermark, start: unknown, end: unknown): boolean {
  const listed = items.find((item) => messagePk(item.message_group_uuid) === mark.sk)
  if (listed) return listed.rev >= mark.rev
  const aboveStart = typeof start === 'string' && compare(mark.lastSk, start) >= 0
  const belowEnd = typeof end === 'string' && compare(mark.lastSk, end) <= 0
  return aboveStart || belowEnd
}

/** Why {@link toMessageGroup} could not show a row, for `onMalformedItem`. */
const unshownRow = (item: FormattedMessageGroup): string =>
  item.kind === 'group'
    ? "a group's row whose conversation item has no title or member count"
    : 'a direct conversation row without its other participant (user_uuid, user_display_name, user_handle) or last message'
