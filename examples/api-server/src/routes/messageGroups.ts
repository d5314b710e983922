import type { FastifyInstance } from 'fastify'
import type { MessagingClient } from 'dynamo-messaging'
import { pageInput, sendPage, type PageQuery } from '../paging.js'
import { cruddurMessageGroup } from '../present.js'

/** `GET /api/message_groups`: the caller's conversations, newest last message first (Pattern B). */
export function messageGroupRoutes(app: FastifyInstance, messaging: MessagingClient): void {
  app.get<{ Querystring: PageQuery }>('/api/message_groups', async (request, reply) => {
    const page = await messaging.listMessageGroups({ userUuid: request.user.uuid, ...pageInput(request.query) })
    return sendPage(reply, page.items.map(cruddurMessageGroup), page.cursor)
  })
}
