// The routes of a messaging API in Express, on dynamo-messaging. Copy this file into your server: `createApp` takes
// the messaging client and two functions of yours (who is signed in, who a user is), so it fits any auth and any
// user store. docs/guide.md walks through it; test/examples/express.test.ts runs it against DynamoDB Local.
import express, { type NextFunction, type Request, type Response } from 'express'
import {
  ForbiddenError,
  MessageIdConflictError,
  NotAMemberError,
  ValidationError,
  type MessagingClient,
  type Participant
} from 'dynamo-messaging'

export interface AppOptions {
  messaging: MessagingClient
  /** The signed-in user of a request (from your session, JWT, …), or `undefined`: the request is answered 401. */
  currentUser: (request: Request) => Participant | undefined | Promise<Participant | undefined>
  /** A user by uuid (from your user store), or `undefined` when there is none. */
  findUser: (uuid: string) => Participant | undefined | Promise<Participant | undefined>
}

export function createApp({ messaging, currentUser, findUser }: AppOptions): express.Express {
  const app = express()
  app.use(express.json({ limit: '16kb' }))

  // Every route below acts as the signed-in user.
  app.use(async (request, response, next) => {
    const user = await currentUser(request)
    if (!user) return void response.status(401).json({ error: 'sign_in_required' })
    response.locals.user = user
    next()
  })
  const me = (response: Response): Participant => response.locals.user as Participant
  const cursorOf = (request: Request) => (typeof request.query.cursor === 'string' ? request.query.cursor : undefined)

  // Pattern B: my conversations, newest first.
  app.get('/conversations', async (request, response) => {
    response.json(await messaging.listMessageGroups({ userUuid: me(response).uuid, cursor: cursorOf(request) }))
  })

  // Pattern A: a conversation's messages, newest first (404 unless I take part in it).
  app.get('/conversations/:messageGroupUuid/messages', async (request, response) => {
    const { messageGroupUuid } = request.params
    response.json(await messaging.listMessages({ messageGroupUuid, viewerUuid: me(response).uuid, cursor: cursorOf(request) }))
  })

  // Pattern C: a message into a conversation I take part in. `messageId` (a ULID the client chose) makes retries safe.
  app.post('/conversations/:messageGroupUuid/messages', async (request, response) => {
    const { message, messageId } = request.body ?? {}
    const sent = await messaging.createMessage({ messageGroupUuid: request.params.messageGroupUuid, sender: me(response), message, messageId })
    response.status(201).json(sent)
  })

  // A message to a user: starts our conversation, or adds to the one we already have.
  app.post('/messages', async (request, response) => {
    const { recipientUuid, message, messageId } = request.body ?? {}
    const recipient = typeof recipientUuid === 'string' ? await findUser(recipientUuid) : undefined
    if (!recipient) return void response.status(404).json({ error: 'recipient_not_found' })
    const result = await messaging.createMessageGroup({ sender: me(response), recipient, message, messageId })
    response.status(result.created ? 201 : 200).json(result)
  })

  app.post('/conversations/:messageGroupUuid/read', async (request, response) => {
    response.json(await messaging.markRead({ messageGroupUuid: request.params.messageGroupUuid, userUuid: me(response).uuid }))
  })

  app.get('/unread', async (_request, response) => {
    response.json(await messaging.countUnread({ userUuid: me(response).uuid }))
  })

  // A group: I own it; its members (by uuid, at least one besides me) list it at once.
  const usersOf = async (uuids: unknown) => {
    if (!Array.isArray(uuids)) return undefined
    const found = await Promise.all(uuids.map((uuid) => (typeof uuid === 'string' ? findUser(uuid) : undefined)))
    return found.every((user) => user !== undefined) ? (found as Participant[]) : undefined
  }
  app.post('/groups', async (request, response) => {
    const { title, memberUuids, message, messageId } = request.body ?? {}
    const members = await usersOf(memberUuids)
    if (!members) return void response.status(404).json({ error: 'member_not_found' })
    response.status(201).json(await messaging.createGroup({ creator: me(response), members, title, message, messageId }))
  })

  // The owner and admins add and remove members (403 for anyone else); removing myself is leaving.
  app.post('/groups/:messageGroupUuid/members', async (request, response) => {
    const members = await usersOf(request.body?.memberUuids)
    if (!members) return void response.status(404).json({ error: 'member_not_found' })
    response.json(await messaging.addMembers({ messageGroupUuid: request.params.messageGroupUuid, by: me(response).uuid, members }))
  })
  app.delete('/groups/:messageGroupUuid/members/:userUuid', async (request, response) => {
    const { messageGroupUuid, userUuid } = request.params
    response.json(await messaging.removeMember({ messageGroupUuid, by: me(response).uuid, userUuid }))
  })

  // Who is in a group, with how far each has read (a "seen by" line).
  app.get('/groups/:messageGroupUuid/members', async (request, response) => {
    const { messageGroupUuid } = request.params
    response.json(await messaging.listMembers({ messageGroupUuid, viewerUuid: me(response).uuid, cursor: cursorOf(request) }))
  })

  // The library's typed errors as HTTP answers; anything else is a 500 (Express 5 passes rejected handlers here).
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error)
    if (error instanceof ValidationError) return void response.status(400).json({ error: 'invalid', issues: error.issues })
    if (error instanceof NotAMemberError) return void response.status(404).json({ error: 'conversation_not_found' })
    if (error instanceof ForbiddenError) return void response.status(403).json({ error: 'forbidden' })
    if (error instanceof MessageIdConflictError) return void response.status(409).json({ error: 'message_id_conflict' })
    if (error instanceof SyntaxError) return void response.status(400).json({ error: 'invalid_json' })
    console.error(error)
    response.status(500).json({ error: 'internal' })
  })
  return app
}
