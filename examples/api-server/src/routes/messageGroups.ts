import type { FastifyInstance } from 'fastify'
import type { MessagingClient } from 'dynamo-messaging'
import { pageInput, sendPage, type PageQuery } from '../paging.js'
import { cruddurMessageGroup, cruddurReadState } from '../present.js'

/**
 * `GET /api/message_groups`: the caller's conversations, newest last message first (Pattern B), with their unread
 * counts. `POST /api/message_groups/:message_group_uuid/read`: the caller has read it, up to `{ up_to }` (a message's
 * `sort_key`) or its newest message; participants only, the same 404 for strangers as the messages routes.
 */
export function messageGroupRoutes(app: FastifyInstance, messaging: MessagingClient): void {
  app.get<{ Querystring: PageQuery }>('/api/message_groups', async (request, reply) => {
    const page = await messaging.listMessageGroups({ userUuid: request.user.uuid, ...pageInput(request.query) })
    return sendPage(reply, page.items.map(cruddurMessageGroup), page.cursor)
  })

  app.post<{ Params: { message_group_uuid: string }; Body: unknown }>('/api/message_groups/:message_group_uuid/read', async (request) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>
    const read = await messaging.markRead({
      messageGroupUuid: request.params.message_group_uuid,
      userUuid: request.user.uuid,
      ...(body.up_to !== undefined && { upTo: body.up_to as string }) // checked by the library (up_to_invalid)
    })
    return cruddurReadState(read)
  })
}
