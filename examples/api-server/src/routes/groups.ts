import type { FastifyInstance, FastifyReply } from 'fastify'
import { NotAMemberError, timeOfSortKey, type GroupMember, type MessagingClient, type Participant } from 'dynamo-messaging'
import { sendErrors } from '../errors.js'
import type { GroupEvent } from '../events/eventHub.js'
import type { NotifyGroup } from '../events/groupNotices.js'
import { pageInput, sendPage, type PageQuery } from '../paging.js'
import { cruddurMessage, cruddurUserShort } from '../present.js'
import type { User, UserDirectory } from '../users.js'

type GroupParams = { message_group_uuid: string }
type MemberParams = GroupParams & { user_uuid: string }

const participant = (user: User): Participant => ({ uuid: user.uuid, displayName: user.displayName, handle: user.handle })
const bodyOf = (body: unknown) => (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>

/** A member as the "seen by" line needs it: their read marker, compared with a message's `sort_key`. */
const presentMember = (member: GroupMember) => ({
  uuid: member.userUuid,
  handle: member.handle,
  display_name: member.displayName,
  role: member.role,
  joined_at: member.joinedAt,
  last_read_sort_key: member.lastReadSortKey ?? null,
  last_read_at: (member.lastReadSortKey && timeOfSortKey(member.lastReadSortKey)) ?? null
})

/**
 * The users of `handles` (a non-empty array of strings, else `handles_invalid`), or the reply already sent: a 404
 * `user_not_found` for a handle nobody has, as when starting a direct conversation by handle.
 */
async function usersOf(users: UserDirectory, handles: unknown, reply: FastifyReply): Promise<User[] | undefined> {
  if (!Array.isArray(handles) || handles.length === 0 || handles.some((handle) => typeof handle !== 'string')) {
    void sendErrors(reply, 422, ['handles_invalid'])
    return undefined
  }
  const found = await Promise.all((handles as string[]).map((handle) => users.findByHandle(handle)))
  if (found.some((user) => user === undefined)) {
    void sendErrors(reply, 404, ['user_not_found'])
    return undefined
  }
  return found as User[]
}

/**
 * Group routes (docs/api-server.md): create a group, list its members with their read markers, add members, remove
 * one (yourself: leave), rename, make or unmake an admin. Every permission check is the library's: a plain member who
 * tries what only the owner or admins may gets a 403 `forbidden`, a stranger the 404 of every conversation route.
 * All are POSTs (and a GET), the methods Cruddur's CORS allows. With live events, the users a change concerns are told
 * through `notifyGroup` (a `group` event); messages reach every member through the stream worker as in direct
 * conversations.
 */
export function groupRoutes(app: FastifyInstance, messaging: MessagingClient, users: UserDirectory, notifyGroup?: NotifyGroup): void {
  const notify = (userUuids: readonly string[], event: GroupEvent) => notifyGroup?.(userUuids, event)

  // `{ title, handles, message?, message_id? }`: the caller owns the group; `message_id` makes a retry continue it.
  app.post<{ Body: unknown }>('/api/message_groups', async (request, reply) => {
    const body = bodyOf(request.body)
    const members = await usersOf(users, body.handles, reply)
    if (!members) return reply
    const created = await messaging.createGroup({
      creator: participant(request.user),
      members: members.map(participant),
      title: body.title as string, // validated by the library (title_invalid, …), with every other issue
      ...(body.message !== undefined && { message: body.message as string }),
      ...(body.message_id !== undefined && { messageId: body.message_id as string })
    })
    notify([request.user.uuid, ...members.map((member) => member.uuid)], { message_group_uuid: created.messageGroupUuid, change: 'created' })
    // No title here: the library stores it cleaned (trimmed, line breaks normalised); the list shows it as stored.
    return {
      message_group_uuid: created.messageGroupUuid,
      kind: 'group',
      member_count: created.memberCount,
      created: created.created,
      message: created.message ? cruddurMessage(created.message) : null
    }
  })

  // One page of members (`?limit=&cursor=`, the next page's cursor in `x-next-cursor`), each with their read marker.
  app.get<{ Params: GroupParams; Querystring: PageQuery }>('/api/message_groups/:message_group_uuid/members', async (request, reply) => {
    const page = await messaging.listMembers({
      messageGroupUuid: request.params.message_group_uuid,
      viewerUuid: request.user.uuid,
      ...pageInput(request.query)
    })
    return sendPage(reply, page.items.map(presentMember), page.cursor)
  })

  // `{ handles }`: owner and admins add members; someone already in the group is skipped (not in `added`).
  app.post<{ Params: GroupParams; Body: unknown }>('/api/message_groups/:message_group_uuid/members', async (request, reply) => {
    const members = await usersOf(users, bodyOf(request.body).handles, reply)
    if (!members) return reply
    const messageGroupUuid = request.params.message_group_uuid
    const { added } = await messaging.addMembers({ messageGroupUuid, by: request.user.uuid, members: members.map(participant) })
    notify(added.map((member) => member.uuid), { message_group_uuid: messageGroupUuid, change: 'added' })
    return { added: added.map((member) => cruddurUserShort(member)) }
  })

  // Removing yourself is leaving (an owner who leaves hands the group on: `new_owner_uuid`).
  app.post<{ Params: MemberParams }>('/api/message_groups/:message_group_uuid/members/:user_uuid/remove', async (request) => {
    const { message_group_uuid: messageGroupUuid, user_uuid: userUuid } = request.params
    const { removed, newOwnerUuid } = await messaging.removeMember({ messageGroupUuid, by: request.user.uuid, userUuid })
    if (removed) notify([userUuid], { message_group_uuid: messageGroupUuid, change: 'removed' })
    return { removed, new_owner_uuid: newOwnerUuid ?? null }
  })

  // `{ role: 'admin' | 'member' }`: only the owner makes or unmakes admins.
  app.post<{ Params: MemberParams; Body: unknown }>('/api/message_groups/:message_group_uuid/members/:user_uuid/role', async (request, reply) => {
    const { message_group_uuid: messageGroupUuid, user_uuid: userUuid } = request.params
    try {
      const { role } = await messaging.setMemberRole({ messageGroupUuid, by: request.user.uuid, userUuid, role: bodyOf(request.body).role as 'admin' })
      notify([userUuid], { message_group_uuid: messageGroupUuid, change: 'role' })
      return { uuid: userUuid, role }
    } catch (error) {
      // The caller is a member but the one named is not: say so, rather than "no such conversation".
      if (error instanceof NotAMemberError && error.userUuid !== request.user.uuid) return sendErrors(reply, 404, ['member_not_found'])
      throw error
    }
  })

  // `{ title }`: owner and admins rename.
  app.post<{ Params: GroupParams; Body: unknown }>('/api/message_groups/:message_group_uuid/title', async (request) => {
    const messageGroupUuid = request.params.message_group_uuid
    const { title } = await messaging.renameGroup({ messageGroupUuid, by: request.user.uuid, title: bodyOf(request.body).title as string })
    notify([request.user.uuid], { message_group_uuid: messageGroupUuid, change: 'renamed', title })
    return { message_group_uuid: messageGroupUuid, title }
  })
}
