// The routes of examples/express as one Lambda behind an API Gateway HTTP API (payload format 2.0), with the signed-in
// user taken from the API's JWT authorizer (the token's `sub`). docs/guide.md walks through it;
// test/examples/apigwLambda.test.ts invokes it with API Gateway's event shape against DynamoDB Local.
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import {
  MessageIdConflictError,
  NotAMemberError,
  ValidationError,
  type MessagingClient,
  type Participant
} from 'dynamo-messaging'

export interface HttpHandlerOptions {
  messaging: MessagingClient
  /** A user by uuid (the JWT's `sub`, or a recipient) from your user store, or `undefined` when there is none. */
  findUser: (uuid: string) => Participant | undefined | Promise<Participant | undefined>
}

type Route = (me: Participant, event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyStructuredResultV2>

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body)
})

export function createHttpHandler({ messaging, findUser }: HttpHandlerOptions) {
  const bodyOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): Record<string, unknown> => {
    if (!event.body) return {}
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body
    return JSON.parse(text) as Record<string, unknown> // a SyntaxError is answered 400 below
  }
  const conversation = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => event.pathParameters?.messageGroupUuid ?? ''
  const cursor = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => event.queryStringParameters?.cursor

  // Keyed by the HTTP API's route keys, as the stack declares them.
  const routes: Record<string, Route> = {
    'GET /conversations': async (me, event) => json(200, await messaging.listMessageGroups({ userUuid: me.uuid, cursor: cursor(event) })),
    'GET /conversations/{messageGroupUuid}/messages': async (me, event) =>
      json(200, await messaging.listMessages({ messageGroupUuid: conversation(event), viewerUuid: me.uuid, cursor: cursor(event) })),
    'POST /conversations/{messageGroupUuid}/messages': async (me, event) => {
      const { message, messageId } = bodyOf(event)
      return json(201, await messaging.createMessage({ messageGroupUuid: conversation(event), sender: me, message: message as string, messageId: messageId as string }))
    },
    'POST /messages': async (me, event) => {
      const { recipientUuid, message, messageId } = bodyOf(event)
      const recipient = typeof recipientUuid === 'string' ? await findUser(recipientUuid) : undefined
      if (!recipient) return json(404, { error: 'recipient_not_found' })
      const result = await messaging.createMessageGroup({ sender: me, recipient, message: message as string, messageId: messageId as string })
      return json(result.created ? 201 : 200, result)
    },
    'POST /conversations/{messageGroupUuid}/read': async (me, event) =>
      json(200, await messaging.markRead({ messageGroupUuid: conversation(event), userUuid: me.uuid })),
    'GET /unread': async (me) => json(200, await messaging.countUnread({ userUuid: me.uuid }))
  }

  return async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = routes[event.routeKey]
    if (!route) return json(404, { error: 'route_not_found' })
    const sub = event.requestContext.authorizer?.jwt?.claims?.sub
    const me = typeof sub === 'string' ? await findUser(sub) : undefined
    if (!me) return json(401, { error: 'sign_in_required' })
    try {
      return await route(me, event)
    } catch (error) {
      // The library's typed errors as HTTP answers; anything else fails the invocation (API Gateway answers 500).
      if (error instanceof ValidationError) return json(400, { error: 'invalid', issues: error.issues })
      if (error instanceof NotAMemberError) return json(404, { error: 'conversation_not_found' })
      if (error instanceof MessageIdConflictError) return json(409, { error: 'message_id_conflict' })
      if (error instanceof SyntaxError) return json(400, { error: 'invalid_json' })
      throw error
    }
  }
}
