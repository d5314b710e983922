import type { MessagingContext } from '../context.js'
import { openPage } from '../cursor/openPage.js'
import { messageGroupPk } from '../keys/keys.js'
import { toMessageGroup } from '../table/rows.js'
import type { MessageGroup, Page } from '../types.js'
import { Validator } from '../validation/validate.js'
import { queryListing } from './queryListing.js'
import { lookupPage } from '../cache/lookupPage.js'
import { userScope } from '../cache/cacheKeys.js'

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

/**
 * Pattern B: a user's conversations, the one with the newest last message first, a page at a time.
 *
 * This library moves a row atomically, so a conversation has one row per participant. Tables that the seeds' stream
 * function wrote can hold stale duplicates; a page never shows a conversation twice (the newest row wins), and
 * `updateMessageGroups` removes such duplicates when the conversation next moves. With a cache, a page is served from
 * it until Pattern D (or a new conversation) changes the user's rows.
 */
export async function listMessageGroups(ctx: MessagingContext, input: ListMessageGroupsInput): Promise<Page<MessageGroup>> {
  const check = new Validator()
  const fields = check.object('input', input)
  const userUuid = check.uuid('userUuid', fields.userUuid)
  const limit = check.limit('limit', fields.limit)
  check.done()
  const pk = messageGroupPk(userUuid)
  const page = openPage({ table: ctx.tableName, pattern: 'B', pk }, fields.cursor)

  const cached = await lookupPage(ctx.cache, userScope(userUuid), { limit, startSk: page.startSk })
  return cached.page({ kind: 'B', uuid: userUuid }, async () => {
    const { items, lastEvaluatedKey } = await queryListing(ctx, ctx.toolbox.MessageGroupEntity, {
      partition: pk,
      limit,
      consistent: cached.cached,
      ...(page.exclusiveStartKey && { exclusiveStartKey: page.exclusiveStartKey })
    })
    const seen = new Set<string>()
    const newest = items.filter((item) => !seen.has(item.message_group_uuid) && seen.add(item.message_group_uuid))
    return page.close(newest.map(toMessageGroup), lastEvaluatedKey)
  })
}
