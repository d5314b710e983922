import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { MessagingContext } from '../context.js'
import { ForbiddenError } from '../errors/ForbiddenError.js'
import { memberSk, messagePk, rowKey } from '../keys/keys.js'
import { backOff } from '../retry/backOff.js'
import { memberOf, readConversation, type StoredMember } from '../table/readMembers.js'
import { readCancellation } from '../transactions/readCancellation.js'
import { MAX_GROUP_MEMBERS, Validator } from '../validation/validate.js'
import { actAs } from './actAs.js'
import { chooseSuccessor } from './chooseSuccessor.js'
import { removalAction, rolesAllowed } from './rolesAllowed.js'
import { memberCountUpdate, roleCheck } from './groupItems.js'
import { invalidateGroup } from './invalidateGroup.js'

/**
 * Input of {@link MessagingClient.removeMember}.
 *
 * @example
 * ```ts
 * await messaging.removeMember({ messageGroupUuid, by: ada.uuid, userUuid: ben.uuid }) // ada removes ben
 * await messaging.removeMember({ messageGroupUuid, by: cleo.uuid, userUuid: cleo.uuid }) // cleo leaves
 * ```
 */
export interface RemoveMemberInput {
  /** The group. */
  messageGroupUuid: string
  /** Who removes: the member themselves (leaving), the owner, or an admin (not the owner, not another admin). */
  by: string
  /** Who is removed. */
  userUuid: string
}

/**
 * Result of {@link MessagingClient.removeMember}.
 *
 * @example
 * ```ts
 * const { removed, newOwnerUuid } = await messaging.removeMember({ messageGroupUuid, by: ada.uuid, userUuid: ada.uuid })
 * ```
 */
export interface RemoveMemberResult {
  /** `false` when `userUuid` was not a member. */
  removed: boolean
  /** When the owner left: who owns the group now (none when nobody is left). */
  newOwnerUuid?: string
}

const CONFLICT_ATTEMPTS = 5

/**
 * Removes a member from a group, or lets a member leave it: their membership item and row go, with the group's member
 * count, in one transaction that also checks the actor's role. They can no longer read or post (`NotAMemberError`),
 * no longer list the group, and Pattern D never gives them a row back. The owner and admins remove plain members;
 * only the owner removes an admin; nobody removes the owner, who may leave: ownership then goes to the
 * longest-standing admin, else the longest-standing member (earliest `joinedAt`, then the smaller uuid), in the same
 * transaction.
 *
 * @throws {@link NotAMemberError} when `by` is not a member; {@link ForbiddenError} when their role does not allow it;
 *   {@link ValidationError} for bad input or a direct conversation.
 */
export async function removeMember(ctx: MessagingContext, input: RemoveMemberInput): Promise<RemoveMemberResult> {
  const check = new Validator()
  const fields = check.object('input', input)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  const by = check.uuid('by', fields.by)
  const userUuid = check.uuid('userUuid', fields.userUuid)
  check.done()
  const leaving = by === userUuid
  const { actor } = await actAs(ctx, messageGroupUuid, by, rolesAllowed(leaving ? 'leave' : 'remove a member'), leaving ? 'leave' : 'remove a member')
  for (let attempt = 1; ; attempt++) {
    // Read again on every attempt after the first: a role changed meanwhile is decided again.
    const target = leaving && attempt === 1 ? actor : await readMember(ctx, messageGroupUuid, userUuid)
    if (!target) return { removed: false }
    const action = removalAction(by, target)
    if (!leaving && !rolesAllowed(action).includes(actor.role)) throw new ForbiddenError(messageGroupUuid, by, action)
    const successor = target.role === 'owner' ? chooseSuccessor((await readConversation(ctx, messageGroupUuid)).members, userUuid) : undefined
    try {
      await ctx.documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            // The member as read: a role changed meanwhile is decided again.
            {
              Delete: {
                TableName: ctx.tableName,
                Key: { pk: messagePk(messageGroupUuid), sk: memberSk(userUuid) },
                ConditionExpression: '#role = :role',
                ExpressionAttributeNames: { '#role': 'role' },
                ExpressionAttributeValues: { ':role': target.role }
              }
            },
            { Delete: { TableName: ctx.tableName, Key: rowKey(userUuid, messageGroupUuid) } },
            memberCountUpdate(ctx.tableName, messageGroupUuid, -1, MAX_GROUP_MEMBERS),
            ...(leaving ? [] : [roleCheck(ctx.tableName, messageGroupUuid, by, rolesAllowed(action))]),
            ...(successor
              ? [
                  {
                    Update: {
                      TableName: ctx.tableName,
                      Key: { pk: messagePk(messageGroupUuid), sk: memberSk(successor.uuid) },
                      UpdateExpression: 'SET #role = :owner',
                      ConditionExpression: '#role = :was',
                      ExpressionAttributeNames: { '#role': 'role' },
                      ExpressionAttributeValues: { ':owner': 'owner', ':was': successor.role }
                    }
                  }
                ]
              : [])
          ]
        })
      )
      await invalidateGroup(ctx, messageGroupUuid, [userUuid])
      return { removed: true, ...(successor && { newOwnerUuid: successor.uuid }) }
    } catch (error) {
      const cancellation = readCancellation(error)
      if (!cancellation) {
        await invalidateGroup(ctx, messageGroupUuid, [userUuid]) // the outcome is unknown
        throw error
      }
      if (!leaving && cancellation.conditionFailed.includes(3)) throw new ForbiddenError(messageGroupUuid, by, action)
      // The member's or the successor's role changed, or another writer was first: read again and decide again.
      if (attempt >= CONFLICT_ATTEMPTS) throw error
      await backOff(attempt, 20, Math.random)
    }
  }
}

async function readMember(ctx: MessagingContext, messageGroupUuid: string, userUuid: string): Promise<StoredMember | undefined> {
  const { Item } = await ctx.documentClient.send(
    new GetCommand({ TableName: ctx.tableName, Key: { pk: messagePk(messageGroupUuid), sk: memberSk(userUuid) }, ConsistentRead: true })
  )
  return Item ? memberOf(userUuid, Item) : undefined
}
