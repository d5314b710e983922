import type { FastifyInstance } from 'fastify'
import type { Message, MessagingClient, Participant } from 'dynamo-messaging'
import { sendErrors } from '../errors.js'
import { pageInput, sendPage, type PageQuery } from '../paging.js'
import { cruddurMessage } from '../present.js'
import type { User, UserDirectory } from '../users.js'

const participant = (user: User): Participant => ({ uuid: user.uuid, displayName: user.displayName, handle: user.handle })

/** The reply to a POST: the message, and the conversation it went into (the front end navigates there). */
const posted = (messageGroupUuid: string, message: Message) => ({ message_group_uuid: messageGroupUuid, ...cruddurMessage(message) })

/** Conversation routes: read one (Pattern A), reply (C), or start one by handle. Membership is the library's check. */
export function messageRoutes(app: FastifyInstance, messaging: MessagingClient, users: UserDirectory): void {
  // Newest page, shown oldest to newest as Cruddur does; `x-next-cursor` fetches the older page before it.
  app.get<{ Params: { message_group_uuid: string }; Querystring: PageQuery }>(
    '/api/messages/:message_group_uuid',
    async (request, reply) => {
      const page = await messaging.listMessages({
        messageGroupUuid: request.params.message_group_uuid,
        viewerUuid: request.user.uuid,
        ...pageInput(request.query)
      })
      return sendPage(reply, page.items.map(cruddurMessage).reverse(), page.cursor)
    }
  )

  // As Cruddur: `message_group_uuid` replies; without it, `handle` starts (or continues) the conversation with them.
  // `message_id` (a ULID the client chose, re-sent on a retry) makes the send idempotent: a retry answers as the first.
  app.post<{ Body: unknown }>('/api/messages', async (request, reply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>
    const sender = participant(request.user)
    const messageId = body.message_id === undefined ? {} : { messageId: body.message_id as string } // the library checks it
    if (body.message_group_uuid === undefined && body.handle !== undefined) {
      const recipient = typeof body.handle === 'string' ? await users.findByHandle(body.handle) : undefined
      if (!recipient) return sendErrors(reply, 404, ['user_not_found'])
      const started = await messaging.createMessageGroup({
        sender,
        recipient: participant(recipient),
        message: body.message as string, // validated by the library, with every other issue
        ...messageId
      })
      return posted(started.messageGroupUuid, started.message)
    }
    // No uuid and no handle lands here too: the library reports `message_group_uuid_invalid` with the message's codes.
    const message = await messaging.createMessage({
      messageGroupUuid: body.message_group_uuid as string,
      sender,
      message: body.message as string,
      ...messageId
    })
    return posted(message.messageGroupUuid, message)
  })
}
