import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { MessagingClient } from 'dynamo-messaging'
import { DEV_AUTH_WARNING, type Authenticator } from './auth.js'
import { requireUser } from './authenticate.js'
import { allowOrigin } from './cors.js'
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
  /** Origin allowed to call the API from a browser (CORS), e.g. `http://localhost:3000`. Default none. */
  corsOrigin?: string
}

/** The Cruddur messages API as a Fastify instance, not yet listening. */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false })
  if (options.auth.mode === 'dev') app.addHook('onReady', async () => app.log.warn(DEV_AUTH_WARNING))
  installErrorHandling(app)
  if (options.corsOrigin) allowOrigin(app, options.corsOrigin)
  // Every API route is behind authentication: registered in one encapsulated scope after the hook.
  void app.register(async (api) => {
    requireUser(api, options.auth, options.users)
    messageGroupRoutes(api, options.messaging)
    messageRoutes(api, options.messaging, options.users)
    userRoutes(api, options.users)
  })
  return app
}
