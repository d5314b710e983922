import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { MessagingContext } from '../context.js'
import { ForbiddenError } from '../errors/ForbiddenError.js'
import { ValidationError } from '../errors/ValidationError.js'
import { memberSk, messagePk } from '../keys/keys.js'
import { backOff } from '../retry/backOff.js'
import { batchGetItems } from '../table/batchGetItems.js'
import { readCancellation } from '../transactions/readCancellation.js'
import type { GroupRole, Participant } from '../types.js'
import { MAX_GROUP_MEMBERS } from '../validation/validate.js'
import { memberCountUpdate, memberPuts, roleCheck, type JoinPoint } from './groupItems.js'
import { memberChunks } from './memberChunks.js'

const CONFLICT_ATTEMPTS = 5

/**
 * Adds members to a group in transactions of up to 49: each member's membership item and row (both only if absent)
 * with the group's member count, which must stay within 1,000, and, when `actor` is given, a check that the actor still
 * has one of the roles allowed. A member added meanwhile by someone else is left out and the rest added again; a
 * transaction cancelled for a conflict is retried. Returns the members this call added.
 *
 * @throws {@link ValidationError} `members_too_many` when the group would pass 1,000 members (earlier chunks stay
 *   added); {@link ForbiddenError} when the actor lost the role meanwhile.
 */
export async function addMemberChunks(
  ctx: MessagingContext,
  messageGroupUuid: string,
  members: ReadonlyArray<{ member: Participant; role: GroupRole; read?: boolean }>,
  at: JoinPoint,
  actor?: { uuid: string; roles: readonly GroupRole[] }
): Promise<Participant[]> {
  const added: Participant[] = []
  const joinedAt = new Date(ctx.now()).toISOString()
  for (const chunk of memberChunks(members)) {
    for (let attempt = 1; chunk.length > 0; attempt++) {
      const checks = actor ? [roleCheck(ctx.tableName, messageGroupUuid, actor.uuid, actor.roles)] : []
      const items = [
        ...checks,
        memberCountUpdate(ctx.tableName, messageGroupUuid, chunk.length, MAX_GROUP_MEMBERS),
        ...chunk.flatMap(({ member, role, read }) => memberPuts(ctx.tableName, messageGroupUuid, member, role, joinedAt, at, read))
      ]
      try {
        await ctx.documentClient.send(new TransactWriteCommand({ TransactItems: items }))
        added.push(...chunk.map(({ member }) => member))
        break
      } catch (error) {
        const cancellation = readCancellation(error)
        if (!cancellation) throw error
        const failed = new Set(cancellation.conditionFailed)
        if (actor && failed.has(0)) throw new ForbiddenError(messageGroupUuid, actor.uuid, 'add members')
        if (failed.has(checks.length)) {
          throw new ValidationError([{ path: 'members', code: 'members_too_many', message: `a group holds at most ${MAX_GROUP_MEMBERS} members` }])
        }
        if (failed.size > 0) {
          // Someone added some of these meanwhile: leave them out and add the rest.
          const present = await batchGetItems(ctx, chunk.map(({ member }) => ({ pk: messagePk(messageGroupUuid), sk: memberSk(member.uuid) })), true)
          const taken = new Set(present.map((item) => item.sk))
          chunk.splice(0, chunk.length, ...chunk.filter(({ member }) => !taken.has(memberSk(member.uuid))))
        } else if (!cancellation.conflict || attempt >= CONFLICT_ATTEMPTS) {
          throw error
        } else {
          await backOff(attempt, 20, Math.random)
        }
      }
    }
  }
  return added
}
