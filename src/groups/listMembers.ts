import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { MessagingContext } from '../context.js'
import { assertMember } from '../conversations/membership.js'
import { decodeCursor, encodeCursor, type CursorScope } from '../cursor/cursor.js'
import { readRows } from '../inbox/readRows.js'
import { readStateOf } from '../inbox/readState.js'
import { MEMBER_SK_PREFIX, messageGroupPk, messagePk, parseMemberSk } from '../keys/keys.js'
import { memberOf } from '../table/readMembers.js'
import type { GroupMember, Page } from '../types.js'
import { Validator } from '../validation/validate.js'

/**
 * Input of {@link MessagingClient.listMembers}.
 *
 * @example
 * ```ts
 * const first = await messaging.listMembers({ messageGroupUuid, viewerUuid: ada.uuid, limit: 50 })
 * const next = await messaging.listMembers({ messageGroupUuid, viewerUuid: ada.uuid, cursor: first.cursor })
 * ```
 */
export interface ListMembersInput {
  /** The conversation (a group or a direct one). */
  messageGroupUuid: string
  /** Who asks: a member. */
  viewerUuid: string
  /** Members per page, 1 to 100. Default 20. */
  limit?: number
  /** The `cursor` of the previous page. */
  cursor?: string
}

/**
 * A page of a conversation's members (by uuid), each with their role and the newest message they have read: what a
 * "seen by" line needs. One Query of the membership items and one BatchGetItem of those members' rows (eventually
 * consistent: about 0.5 read units per member).
 *
 * @throws {@link NotAMemberError} when the viewer is not a member; {@link ValidationError} for bad input.
 */
export async function listMembers(ctx: MessagingContext, input: ListMembersInput): Promise<Page<GroupMember>> {
  const check = new Validator()
  const fields = check.object('input', input)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  const viewerUuid = check.uuid('viewerUuid', fields.viewerUuid)
  const limit = check.limit('limit', fields.limit)
  check.done()
  const scope: CursorScope = { table: ctx.tableName, pattern: 'M', pk: messagePk(messageGroupUuid) }
  const start = fields.cursor === undefined ? undefined : decodeCursor(scope, fields.cursor)
  await assertMember(ctx, messageGroupUuid, viewerUuid)

  const { Items = [], LastEvaluatedKey } = await ctx.documentClient.send(
    new QueryCommand({
      TableName: ctx.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': scope.pk, ':member': MEMBER_SK_PREFIX },
      Limit: limit,
      ...(start && { ExclusiveStartKey: { pk: scope.pk, sk: start.sk } })
    })
  )
  const members = Items.flatMap((item) => {
    const uuid = typeof item.sk === 'string' ? parseMemberSk(item.sk) : undefined
    return uuid ? [memberOf(uuid, item)] : []
  })
  const rows = await readRows(ctx, messageGroupUuid, members.map((member) => member.uuid))
  const markers = new Map(rows.map((row) => [row.pk, readStateOf(row).marker]))
  const items = members.map(({ uuid, displayName, handle, role, joinedAt }) => {
    const marker = markers.get(messageGroupPk(uuid))
    return { userUuid: uuid, displayName, handle, role, joinedAt, ...(marker !== undefined && { lastReadSortKey: marker }) }
  })
  const next = LastEvaluatedKey?.sk
  return { items, ...(typeof next === 'string' && { cursor: encodeCursor(scope, { sk: next }) }) }
}
