import type { FastifyInstance } from 'fastify'
import { findUser, type Authenticator } from './auth.js'
import { sendErrors } from './errors.js'
import type { User, UserDirectory } from './users.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set on every route registered after {@link requireUser}. */
    user: User
  }
}

/**
 * Rejects requests without a valid token for a known user (401) before any route runs, so no handler ever sees an
 * anonymous caller. Runs at `onRequest`, before the body is even parsed.
 */
export function requireUser(app: FastifyInstance, auth: Authenticator, users: UserDirectory): void {
  app.decorateRequest('user', null as unknown as User)
  app.addHook('onRequest', async (request, reply) => {
    const result = await auth.identify(request.headers.authorization)
    const user = result.ok ? await findUser(users, result.identity) : undefined
    if (!user) {
      const reason = result.ok ? `no user for ${JSON.stringify(result.identity)}` : result.reason
      request.log[!result.ok && result.serverFault ? 'error' : 'info']({ reason }, 'authentication failed')
      void reply.header('www-authenticate', 'Bearer')
      // Answered before the body came in: close the connection after the answer instead of reading the rest of a
      // body nobody will use (a client trickling it would otherwise hold the socket until the request timeout).
      if (!request.raw.complete) void reply.header('connection', 'close')
      return sendErrors(reply, 401, ['unauthenticated'])
    }
    request.user = user
  })
}
