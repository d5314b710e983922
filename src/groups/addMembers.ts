import type { MessagingContext } from '../context.js'
import { ValidationError } from '../errors/ValidationError.js'
import { updateInbox } from '../inbox/updateInbox.js'
import { compare } from '../keys/compare.js'
import { memberSk, messagePk } from '../keys/keys.js'
import { batchGetItems } from '../table/batchGetItems.js'
import { readNewestMessage } from '../table/readNewestMessage.js'
import type { Participant } from '../types.js'
import { MAX_GROUP_MEMBERS, Validator } from '../validation/validate.js'
import { actAs } from './actAs.js'
import { rolesAllowed } from './rolesAllowed.js'
import { addMemberChunks } from './addMemberChunks.js'
import { invalidateGroup } from './invalidateGroup.js'
import { joinPoint } from './joinPoint.js'
import { validateMembers } from './validateMembers.js'

/**
 * Input of {@link MessagingClient.addMembers}.
 *
 * @example
 * ```ts
 * const input: AddMembersInput = { messageGroupUuid, by: ada.uuid, members: [dana] }
 * ```
 */
export interface AddMembersInput {
  /** The group. */
  messageGroupUuid: string
  /** Who adds them: the group's owner or an admin. */
  by: string
  /** Who to add, at least one; members already in the group are left as they are. */
  members: Participant[]
}

/**
 * Result of {@link MessagingClient.addMembers}.
 *
 * @example
 * ```ts
 * const { added } = await messaging.addMembers({ messageGroupUuid, by: ada.uuid, members: [dana] })
 * ```
 */
export interface AddMembersResult {
  /** The members this call added (not those already in the group). */
  added: Participant[]
}

/**
 * Adds members to a group: each one's membership item and row, in transactions with the group's member count and a
 * check of the actor's role. A new member lists the group at once, reads its whole history, and starts with nothing
 * unread (read up to the newest message when they joined). Adding someone already in the group changes nothing.
 *
 * @throws {@link NotAMemberError} when `by` is not a member; {@link ForbiddenError} when they are a plain member;
 *   {@link ValidationError} for bad input, a direct conversation, or a group that would pass 1,000 members (nothing
 *   written).
 */
export async function addMembers(ctx: MessagingContext, input: AddMembersInput): Promise<AddMembersResult> {
  const check = new Validator()
  const fields = check.object('input', input)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  const by = check.uuid('by', fields.by)
  const members = validateMembers(check, fields.members)
  check.done()
  const { group } = await actAs(ctx, messageGroupUuid, by, rolesAllowed('add members'), 'add members')
  const present = await batchGetItems(ctx, members.map((member) => ({ pk: messagePk(messageGroupUuid), sk: memberSk(member.uuid) })), true)
  const taken = new Set(present.map((item) => item.sk))
  const joining = members.filter((member) => !taken.has(memberSk(member.uuid)))
  if (joining.length === 0) return { added: [] }
  if (Number(group.member_count ?? 0) + joining.length > MAX_GROUP_MEMBERS) {
    throw new ValidationError([{ path: 'members', code: 'members_too_many', message: `a group holds at most ${MAX_GROUP_MEMBERS} members` }])
  }
  const at = await joinPoint(ctx, messageGroupUuid, group)
  let added: Participant[] = []
  try {
    added = await addMemberChunks(ctx, messageGroupUuid, joining.map((member) => ({ member, role: 'member' as const })), at, {
      uuid: by,
      roles: rolesAllowed('add members')
    })
    // A message stored after the join point was read may have fanned out before they joined: bring their rows to it.
    const newest = (await readNewestMessage(ctx, messageGroupUuid))?.sk
    if (added.length > 0 && typeof newest === 'string' && compare(newest, at.sk) > 0) {
      await updateInbox(ctx, { messageGroupUuid, sortKey: newest }, [newest], { owners: added.map((member) => member.uuid) })
    }
  } finally {
    await invalidateGroup(ctx, messageGroupUuid, joining.map((member) => member.uuid))
  }
  return { added }
}
