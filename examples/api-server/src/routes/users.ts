import type { FastifyInstance } from 'fastify'
import { sendErrors } from '../errors.js'
import { cruddurUserShort } from '../present.js'
import type { UserDirectory } from '../users.js'

/** `GET /api/users/@:handle/short`: who a handle is, for the front end's "new message to @handle" page. */
export function userRoutes(app: FastifyInstance, users: UserDirectory): void {
  app.get<{ Params: { handle: string } }>('/api/users/@:handle/short', async (request, reply) => {
    const user = await users.findByHandle(request.params.handle)
    return user ? cruddurUserShort(user) : sendErrors(reply, 404, ['user_not_found'])
  })
}
