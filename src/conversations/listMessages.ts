import type { MessagingContext } from '../context.js'
import { openPage } from '../cursor/openPage.js'
import { MESSAGE_SK_FLOOR, messagePk } from '../keys/keys.js'
import { toMessage } from '../table/toMessage.js'
import type { Message, Page } from '../types.js'
import { Validator } from '../validation/validate.js'
import { queryListing } from './queryListing.js'
import { assertMember, membershipKeys } from './membership.js'
import { lookup } from '../cache/lookup.js'
import { conversationScope, pageKey, versionKey } from '../cache/cacheKeys.js'

/**
 * Input of {@link MessagingClient.listMessages} (Pattern A).
 *
 * @example
 * ```ts
 * const first = await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid, limit: 50 })
 * const older = await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid, cursor: first.cursor })
 * ```
 */
export interface ListMessagesInput {
  /** The conversation to read. */
  messageGroupUuid: string
  /** When given, the viewer must be a participant ({@link NotAMemberError} otherwise). */
  viewerUuid?: string
  /** Messages per page, 1 to 100. Default 20. */
  limit?: number
  /** The `cursor` of the previous page. */
  cursor?: string
}

/**
 * Pattern A: the messages of one conversation, newest first, a page at a time. No year filter (the seeds' one hid
 * every older message on 1 January): the key condition only skips the conversation and membership items. With a cache,
 * the page, its version and the viewer's membership come back in one cache call; a miss reads the page strongly
 * consistently and stores it.
 */
export async function listMessages(ctx: MessagingContext, input: ListMessagesInput): Promise<Page<Message>> {
  const check = new Validator()
  const fields = check.object('input', input)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  const viewerUuid = fields.viewerUuid === undefined ? undefined : check.uuid('viewerUuid', fields.viewerUuid)
  const limit = check.limit('limit', fields.limit)
  check.done()
  const pk = messagePk(messageGroupUuid)
  const page = openPage({ table: ctx.tableName, pattern: 'A', pk }, fields.cursor)

  const layer = ctx.cache
  const scope = conversationScope(messageGroupUuid)
  const cached = await lookup(layer, [
    ...(layer ? [{ version: versionKey(layer.tableName, scope), key: pageKey(layer.tableName, scope, limit, page.startSk) }] : []),
    ...(layer && viewerUuid !== undefined ? [membershipKeys(layer.tableName, messageGroupUuid, viewerUuid)] : [])
  ])
  if (viewerUuid !== undefined) await assertMember(ctx, messageGroupUuid, viewerUuid, { lookup: cached, index: 1 })

  return cached.value(0, { kind: 'A', uuid: messageGroupUuid }, async () => {
    const { items, lastEvaluatedKey } = await queryListing(ctx, ctx.toolbox.MessageEntity, {
      partition: pk,
      range: { gte: MESSAGE_SK_FLOOR },
      limit,
      consistent: cached.cached,
      ...(page.exclusiveStartKey && { exclusiveStartKey: page.exclusiveStartKey })
    })
    return { value: page.close(items.map(toMessage), lastEvaluatedKey), store: true }
  })
}
