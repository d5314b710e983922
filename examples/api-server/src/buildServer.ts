import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { MessagingClient } from 'dynamo-messaging'
import { DEV_AUTH_WARNING, type Authenticator } from './auth.js'
import { requireUser } from './authenticate.js'
import { DEFAULT_LIMITS, type ServerLimits } from './config.js'
import { allowOrigins } from './cors.js'
import { answerClientError, answerFrameworkError, installErrorHandling } from './errors.js'
import { withRedactedUrls } from './logging.js'
import { messageGroupRoutes } from './routes/messageGroups.js'
import { groupRoutes } from './routes/groups.js'
import { messageRoutes } from './routes/messages.js'
import { userRoutes } from './routes/users.js'
import { eventStreamRoute, eventTokenRoute } from './routes/events.js'
import { pageRoutes } from './routes/page.js'
import type { EventHub } from './events/eventHub.js'
import type { NotifyGroup } from './events/groupNotices.js'
import { streamTokens } from './events/streamToken.js'
import type { UserDirectory } from './users.js'

/** What {@link buildServer} needs: everything from outside, so tests hand in a fresh table and their own verifier. */
export interface BuildServerOptions {
  messaging: MessagingClient
  users: UserDirectory
  auth: Authenticator
  /** Fastify's `logger` option. Default off. */
  logger?: FastifyServerOptions['logger']
  /** Origins allowed to call the API from a browser (CORS), e.g. `['http://localhost:3000']`. Default none. */
  corsOrigins?: readonly string[]
  /** Live updates: `/api/events` streams what this hub publishes (the stream worker's `onApplied`, or Redis, feeds it). */
  events?: EventHub
  /**
   * How a group change reaches the streams of the users it concerns; default this server's `events` hub. With several
   * instances, a publisher to all of them (`publishGroupNotices`).
   */
  notifyGroup?: NotifyGroup
  /** Signs stream tokens, so that every instance sharing it accepts them; default a key made at start-up. */
  streamTokenSecret?: string
  /** Timeouts, connections, the unsent data an event stream may hold; default {@link DEFAULT_LIMITS}. */
  limits?: Partial<ServerLimits>
  /** Serve the chat page at `/`. Default true. */
  chatPage?: boolean
}

/** The Cruddur messages API as a Fastify instance, not yet listening. */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  const app = Fastify({
    logger: withRedactedUrls(options.logger ?? false),
    // Receiving a request (headers, then body) is bounded: a client trickling bytes cannot hold a socket. Node checks
    // these every connectionsCheckingInterval, so that is kept well below them.
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(limits.headersTimeoutMs / 4)))
    },
    // Router and framework errors answer the documented body, never the default one that echoes the URL.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError
  })
  app.server.maxConnections = limits.maxConnections
  if (options.auth.mode === 'dev') app.addHook('onReady', async () => app.log.warn(DEV_AUTH_WARNING))
  installErrorHandling(app)
  if (options.corsOrigins?.length) allowOrigins(app, options.corsOrigins)
  const tokens = options.events && streamTokens({ ...(options.streamTokenSecret !== undefined && { secret: options.streamTokenSecret }) })
  // The conversation routes are behind authentication: registered in one encapsulated scope after the hook.
  void app.register(async (api) => {
    requireUser(api, options.auth, options.users)
    messageGroupRoutes(api, options.messaging)
    messageRoutes(api, options.messaging, options.users)
    const hub = options.events
    groupRoutes(api, options.messaging, options.users, options.notifyGroup ?? (hub && ((userUuids, event) => hub.notify(userUuids, event))))
    if (tokens) eventTokenRoute(api, tokens)
  })
  // Public, as in Cruddur: the new-message page asks who a handle is without a token (and it answers only the
  // uuid, handle and display name a profile page shows anyway).
  void app.register(async (open) => userRoutes(open, options.users))
  // The event stream authenticates by its own token (EventSource sends no Authorization header).
  if (options.events && tokens) {
    const hub = options.events
    void app.register(async (open) => eventStreamRoute(open, hub, tokens, { maxUnsentBytes: limits.eventStreamBufferBytes }))
    // Open streams would keep close() waiting forever: end them first; the pages reconnect.
    app.addHook('preClose', async () => hub.closeAll())
  }
  if (options.chatPage ?? true) void app.register(async (open) => pageRoutes(open, { auth: options.auth.mode, live: Boolean(options.events) }))
  return app
}
