import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { MessagingClient } from 'dynamo-messaging'
import { DEV_AUTH_WARNING, type Authenticator } from './auth.js'
import { requireUser } from './authenticate.js'
import { allowOrigins } from './cors.js'
import { installErrorHandling } from './errors.js'
import { messageGroupRoutes } from './routes/messageGroups.js'
import { groupRoutes } from './routes/groups.js'
import { messageRoutes } from './routes/messages.js'
import { userRoutes } from './routes/users.js'
import { eventStreamRoute, eventTokenRoute } from './routes/events.js'
import { pageRoutes } from './routes/page.js'
import type { EventHub } from './events/eventHub.js'
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
  /** Live updates: `/api/events` streams what this hub publishes (the stream worker's `onApplied` feeds it). */
  events?: EventHub
  /** Serve the chat page at `/`. Default true. */
  chatPage?: boolean
}

/** The Cruddur messages API as a Fastify instance, not yet listening. */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false })
  if (options.auth.mode === 'dev') app.addHook('onReady', async () => app.log.warn(DEV_AUTH_WARNING))
  installErrorHandling(app)
  if (options.corsOrigins?.length) allowOrigins(app, options.corsOrigins)
  const tokens = options.events && streamTokens()
  // The conversation routes are behind authentication: registered in one encapsulated scope after the hook.
  void app.register(async (api) => {
    requireUser(api, options.auth, options.users)
    messageGroupRoutes(api, options.messaging)
    messageRoutes(api, options.messaging, options.users)
    groupRoutes(api, options.messaging, options.users, options.events)
    if (tokens) eventTokenRoute(api, tokens)
  })
  // Public, as in Cruddur: the new-message page asks who a handle is without a token (and it answers only the
  // uuid, handle and display name a profile page shows anyway).
  void app.register(async (open) => userRoutes(open, options.users))
  // The event stream authenticates by its own token (EventSource sends no Authorization header).
  if (options.events && tokens) {
    const hub = options.events
    void app.register(async (open) => eventStreamRoute(open, hub, tokens))
    // Open streams would keep close() waiting forever: end them first; the pages reconnect.
    app.addHook('preClose', async () => hub.closeAll())
  }
  if (options.chatPage ?? true) void app.register(async (open) => pageRoutes(open, { auth: options.auth.mode, live: Boolean(options.events) }))
  return app
}
