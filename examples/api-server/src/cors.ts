import type { FastifyInstance } from 'fastify'
import { NEXT_CURSOR_HEADER } from './paging.js'

/**
 * Lets the Cruddur front end (another origin, e.g. http://localhost:3000) call the API with its bearer token and read
 * the paging header. Off unless an origin is given (`FRONTEND_URL`).
 */
export function allowOrigin(app: FastifyInstance, origin: string): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('access-control-allow-origin', origin).header('vary', 'origin')
    void reply.header('access-control-expose-headers', NEXT_CURSOR_HEADER)
    if (request.method !== 'OPTIONS') return
    void reply
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600')
    return reply.code(204).send() // preflights carry no token: answer them before authentication
  })
}
