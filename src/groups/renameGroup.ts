import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { MessagingContext } from '../context.js'
import { ForbiddenError } from '../errors/ForbiddenError.js'
import { CONVERSATION_SK, messagePk } from '../keys/keys.js'
import { readCancellation } from '../transactions/readCancellation.js'
import { Validator } from '../validation/validate.js'
import { actAs } from './actAs.js'
import { rolesAllowed } from './rolesAllowed.js'
import { roleCheck } from './groupItems.js'
import { invalidateGroup } from './invalidateGroup.js'

/**
 * Input of {@link MessagingClient.renameGroup}.
 *
 * @example
 * ```ts
 * await messaging.renameGroup({ messageGroupUuid, by: ada.uuid, title: 'Launch, week 2' })
 * ```
 */
export interface RenameGroupInput {
  /** The group. */
  messageGroupUuid: string
  /** Who renames it: the owner or an admin. */
  by: string
  /** 1 to 100 characters, under the rules of message text. */
  title: string
}

/**
 * Renames a group: one write of its conversation item (the title is not copied into members' rows, so a rename is one
 * item whatever the group's size), in a transaction that checks the actor's role. Every member's cached lists are
 * marked stale before it returns.
 *
 * @throws {@link NotAMemberError}, {@link ForbiddenError} (a plain member), {@link ValidationError}; nothing written.
 */
export async function renameGroup(ctx: MessagingContext, input: RenameGroupInput): Promise<{ title: string }> {
  const check = new Validator()
  const fields = check.object('input', input)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  const by = check.uuid('by', fields.by)
  const title = check.title('title', fields.title)
  check.done()
  await actAs(ctx, messageGroupUuid, by, rolesAllowed('rename the group'), 'rename the group')
  try {
    await ctx.documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          roleCheck(ctx.tableName, messageGroupUuid, by, rolesAllowed('rename the group')),
          {
            Update: {
              TableName: ctx.tableName,
              Key: { pk: messagePk(messageGroupUuid), sk: CONVERSATION_SK },
              UpdateExpression: 'SET title = :title',
              ConditionExpression: '#kind = :group',
              ExpressionAttributeNames: { '#kind': 'kind' },
              ExpressionAttributeValues: { ':title': title, ':group': 'group' }
            }
          }
        ]
      })
    )
  } catch (error) {
    const cancellation = readCancellation(error)
    if (cancellation?.conditionFailed.includes(0)) throw new ForbiddenError(messageGroupUuid, by, 'rename the group')
    if (!cancellation) await invalidateGroup(ctx, messageGroupUuid) // the outcome is unknown
    throw error
  }
  await invalidateGroup(ctx, messageGroupUuid)
  return { title }
}
