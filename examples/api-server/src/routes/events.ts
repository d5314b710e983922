import type { FastifyInstance } from 'fastify'
import { sendErrors } from '../errors.js'
import type { EventHub } from '../events/eventHub.js'
import { sseSubscriber } from '../events/sseSubscriber.js'
import type { StreamTokens } from '../events/streamToken.js'

/** Seconds a refused stream should wait: a user's other tabs close over minutes, a full server frees up sooner. */
const RETRY_AFTER_SECONDS = { user_limit: 30, server_limit: 5 } as const

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
 * conversation, so what happened while it was away is read once, not pushed. A user's streams past the per-user
 * limit are refused (429), as are any past the server's (503); a stream whose client stops reading is dropped once
 * `maxUnsentBytes` wait for it. The request timeout does not apply: it bounds receiving a request, and this one's
 * is received at once; the stream then lasts as long as the client reads it.
 */
export function eventStreamRoute(app: FastifyInstance, hub: EventHub, tokens: StreamTokens, options: { maxUnsentBytes: number }): void {
  app.get<{ Querystring: { token?: unknown } }>('/api/events', (request, reply) => {
    const userUuid = tokens.verify(request.query.token)
    if (!userUuid) return sendErrors(reply, 401, ['stream_token_invalid'])
    const raw = reply.raw
    const subscriber = sseSubscriber(raw, {
      maxUnsentBytes: options.maxUnsentBytes,
      onDropped: () => request.log.warn({ user: userUuid, limitBytes: options.maxUnsentBytes }, 'event stream dropped: its client is not reading')
    })
    const admission = hub.subscribe(userUuid, subscriber)
    if (!admission.ok) {
      request.log.info({ user: userUuid, limit: admission.reason }, 'event stream refused')
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS[admission.reason]))
      return admission.reason === 'user_limit' ? sendErrors(reply, 429, ['too_many_streams']) : sendErrors(reply, 503, ['server_busy'])
    }
    reply.hijack()
    raw.on('close', () => {
      admission.unsubscribe()
      request.log.debug({ user: userUuid, streams: hub.size }, 'event stream closed')
    })
    request.log.debug({ user: userUuid, streams: hub.size }, 'event stream opened')
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>), // CORS, set by the onRequest hook
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no'
    })
    raw.write('retry: 2000\n\n')
  })
}
