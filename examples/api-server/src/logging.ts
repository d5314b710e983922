import type { FastifyRequest, FastifyServerOptions } from 'fastify'

/**
 * A URL as it may be logged: the value of every `token` query parameter replaced. The event stream's token travels in
 * its URL (EventSource sends no header); it must not sit in the server's logs, at any level.
 */
export function redactTokens(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]')
}

/**
 * Fastify's `logger` option with its request serializer replaced by one that redacts tokens (the default logs
 * `req.url` as it came, query string included, on every request at `info`).
 */
export function withRedactedUrls(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false
  const options = logger === true ? {} : logger
  return {
    ...options,
    serializers: {
      ...options.serializers,
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactTokens(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort
      })
    }
  }
}
