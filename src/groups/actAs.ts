import { GetCommand } from '@aws-sdk/lib-dynamodb'
import type { MessagingContext } from '../context.js'
import { assertMember } from '../conversations/membership.js'
import { ForbiddenError } from '../errors/ForbiddenError.js'
import { ValidationError } from '../errors/ValidationError.js'
import { CONVERSATION_SK, messagePk } from '../keys/keys.js'
import type { StoredMember } from '../table/readMembers.js'
import type { GroupRole } from '../types.js'

/**
 * The acting member of a group, after checking they may do `action`: a stranger gets {@link NotAMemberError} (as for
 * every read and send), a member whose role is not among `roles` {@link ForbiddenError}, and a direct conversation a
 * `ValidationError` (`message_group_uuid_not_a_group`). The role is read strongly consistently; the write that follows
 * checks it again inside its transaction, so a role changed in between is caught there.
 */
export async function actAs(
  ctx: MessagingContext,
  messageGroupUuid: string,
  userUuid: string,
  roles: readonly GroupRole[],
  action: string
): Promise<{ actor: StoredMember; group: Record<string, unknown> }> {
  const actor = await assertMember(ctx, messageGroupUuid, userUuid)
  const { Item: group } = await ctx.documentClient.send(
    new GetCommand({ TableName: ctx.tableName, Key: { pk: messagePk(messageGroupUuid), sk: CONVERSATION_SK }, ConsistentRead: true })
  )
  if (group?.kind !== 'group') {
    throw new ValidationError([{ path: 'messageGroupUuid', code: 'message_group_uuid_not_a_group', message: 'is a direct conversation, not a group' }])
  }
  if (!roles.includes(actor.role)) throw new ForbiddenError(messageGroupUuid, userUuid, action)
  return { actor, group }
}
