import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { MessagingContext } from '../context.js'
import { ForbiddenError } from '../errors/ForbiddenError.js'
import { NotAMemberError } from '../errors/NotAMemberError.js'
import { memberSk, messagePk } from '../keys/keys.js'
import { readCancellation } from '../transactions/readCancellation.js'
import { Validator } from '../validation/validate.js'
import { actAs } from './actAs.js'
import { rolesAllowed } from './rolesAllowed.js'
import { roleCheck } from './groupItems.js'
import { invalidateGroup } from './invalidateGroup.js'

/**
 * Input of {@link MessagingClient.setMemberRole}.
 *
 * @example
 * ```ts
 * await messaging.setMemberRole({ messageGroupUuid, by: ada.uuid, userUuid: ben.uuid, role: 'admin' }) // make an admin
 * await messaging.setMemberRole({ messageGroupUuid, by: ada.uuid, userUuid: ben.uuid, role: 'member' }) // and unmake
 * ```
 */
export interface SetMemberRoleInput {
  /** The group. */
  messageGroupUuid: string
  /** Who decides: the owner only. */
  by: string
  /** The member whose role changes (not the owner). */
  userUuid: string
  /** `admin` or `member`. */
  role: 'admin' | 'member'
}

/**
 * Makes a member an admin, or an admin a plain member again: one write of their membership item, in a transaction
 * that checks that the actor is the owner.
 *
 * @throws {@link NotAMemberError} when `by` or `userUuid` is not a member; {@link ForbiddenError} when `by` is not the
 *   owner, or names the owner; {@link ValidationError} for bad input or a direct conversation.
 */
export async function setMemberRole(ctx: MessagingContext, input: SetMemberRoleInput): Promise<{ role: 'admin' | 'member' }> {
  const check = new Validator()
  const fields = check.object('input', input)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  const by = check.uuid('by', fields.by)
  const userUuid = check.uuid('userUuid', fields.userUuid)
  const role = check.oneOf('role', fields.role, ['admin', 'member'] as const)
  // oneOf passes an absent role: that one is reported here (a wrong one, by oneOf).
  if (fields.role === undefined) check.fail('role', 'role_invalid', "must be 'admin' or 'member'")
  check.done()
  await actAs(ctx, messageGroupUuid, by, rolesAllowed('make or unmake admins'), 'make or unmake admins')
  if (userUuid === by) throw new ForbiddenError(messageGroupUuid, by, 'change the owner\'s role')
  try {
    await ctx.documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          roleCheck(ctx.tableName, messageGroupUuid, by, rolesAllowed('make or unmake admins')),
          {
            Update: {
              TableName: ctx.tableName,
              Key: { pk: messagePk(messageGroupUuid), sk: memberSk(userUuid) },
              UpdateExpression: 'SET #role = :role',
              ConditionExpression: '#role IN (:admin, :member)',
              ExpressionAttributeNames: { '#role': 'role' },
              ExpressionAttributeValues: { ':role': role, ':admin': 'admin', ':member': 'member' }
            }
          }
        ]
      })
    )
  } catch (error) {
    const cancellation = readCancellation(error)
    if (cancellation?.conditionFailed.includes(0)) throw new ForbiddenError(messageGroupUuid, by, 'make or unmake admins')
    if (cancellation?.conditionFailed.includes(1)) throw new NotAMemberError(messageGroupUuid, userUuid)
    if (!cancellation) await invalidateGroup(ctx, messageGroupUuid) // the outcome is unknown
    throw error
  }
  await invalidateGroup(ctx, messageGroupUuid)
  return { role: role! }
}
