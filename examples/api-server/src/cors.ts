import type { FastifyInstance } from 'fastify'
import { NEXT_CURSOR_HEADER } from './paging.js'

/**
 * What the Cruddur Flask app allows (flask_cors on `/api/*`): its methods and headers, `Authorization` exposed; here
 * the paging header is exposed too.
 */
export const CORS_METHODS = 'OPTIONS, GET, HEAD, POST'
export const CORS_ALLOW_HEADERS = 'Content-Type, Authorization'
export const CORS_EXPOSE_HEADERS = `Authorization, ${NEXT_CURSOR_HEADER}`

/**
 * Lets the Cruddur front end (another origin, e.g. http://localhost:3000) call `/api/*` from a browser with its bearer
 * token, as the Flask app does for `FRONTEND_URL` and `BACKEND_URL`: a request from one of `origins` gets that origin
 * back in `Access-Control-Allow-Origin`; any other origin gets no allow header, so the browser keeps the answer from
 * the page. Preflights carry no token, so they are answered here, before authentication.
 */
export function allowOrigins(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins)
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return
    const origin = request.headers.origin
    const allowedOrigin = typeof origin === 'string' && allowed.has(origin)
    // The answer depends on the Origin header: shared caches must keep one copy per origin.
    void reply.header('vary', 'Origin')
    if (allowedOrigin) void reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', CORS_EXPOSE_HEADERS)
    if (request.method !== 'OPTIONS') return
    if (allowedOrigin) {
      void reply
        .header('access-control-allow-methods', CORS_METHODS)
        .header('access-control-allow-headers', CORS_ALLOW_HEADERS)
        .header('access-control-max-age', '600')
    }
    return reply.code(204).send()
  })
}
