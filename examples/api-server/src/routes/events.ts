import type { FastifyInstance } from 'fastify'
import { sendErrors } from '../errors.js'
import type { EventHub, GroupEvent, MessageEvent } from '../events/eventHub.js'
import type { StreamTokens } from '../events/streamToken.js'

/** Comment lines keep idle streams open through proxies, and let the server notice a tab that is gone. */
const HEARTBEAT_MS = 20_000

/** `POST /api/events/token` (authenticated): a short-lived token for {@link eventStreamRoute}. */
export function eventTokenRoute(api: FastifyInstance, tokens: StreamTokens): void {
  api.post('/api/events/token', async (request) => {
    const { token, expiresIn } = tokens.issue(request.user.uuid)
    return { token, expires_in: expiresIn }
  })
}

/**
 * `GET /api/events?token=…`: server-sent events, one `message` event per new message in the token holder's
 * conversations, and a `group` event when a group changes for them (see docs/api-server.md). Nothing is replayed: a page that (re)connects reloads its list and open
 * conversation, so what happened while it was away is read once, not pushed.
 */
export function eventStreamRoute(app: FastifyInstance, hub: EventHub, tokens: StreamTokens): void {
  app.get<{ Querystring: { token?: unknown } }>('/api/events', (request, reply) => {
    const userUuid = tokens.verify(request.query.token)
    if (!userUuid) return sendErrors(reply, 401, ['stream_token_invalid'])
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>), // CORS, set by the onRequest hook
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no'
    })
    raw.write('retry: 2000\n\n')
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS)
    const unsubscribe = hub.subscribe(userUuid, {
      send: (event: MessageEvent) => void raw.write(`event: message\ndata: ${JSON.stringify(event)}\n\n`),
      group: (event: GroupEvent) => void raw.write(`event: group\ndata: ${JSON.stringify(event)}\n\n`),
      close: () => raw.end()
    })
    raw.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
    })
  })
}
