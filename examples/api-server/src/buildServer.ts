import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { MessagingClient } from 'dynamo-messaging'
import { DEV_AUTH_WARNING, type Authenticator } from './auth.js'
import { requireUser } from './authenticate.js'
import { allowOrigins } from './cors.js'
import { installErrorHandling } from './errors.js'
import { messageGroupRoutes } from './routes/messageGroups.js'
import { messageRoutes } from './routes/messages.js'
import { userRoutes } from './routes/users.js'
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
}

/** The Cruddur messages API as a Fastify instance, not yet listening. */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false })
  if (options.auth.mode === 'dev') app.addHook('onReady', async () => app.log.warn(DEV_AUTH_WARNING))
  installErrorHandling(app)
  if (options.corsOrigins?.length) allowOrigins(app, options.corsOrigins)
  // The conversation routes are behind authentication: registered in one encapsulated scope after the hook.
  void app.register(async (api) => {
    requireUser(api, options.auth, options.users)
    messageGroupRoutes(api, options.messaging)
    messageRoutes(api, options.messaging, options.users)
  })
  // Public, as in Cruddur: the new-message page asks who a handle is without a token (and it answers only the
  // uuid, handle and display name a profile page shows anyway).
  void app.register(async (open) => userRoutes(open, options.users))
  return app
}
