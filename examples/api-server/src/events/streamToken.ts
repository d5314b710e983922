import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Short-lived tokens that open an event stream. A browser's EventSource cannot send an `Authorization` header, so an
 * authenticated `POST /api/events/token` hands one out and `GET /api/events?token=…` takes it. HMAC-signed with a key
 * made at start-up: a restarted server rejects old tokens, and the page simply asks for a new one.
 */
export interface StreamTokens {
  issue(userUuid: string): { token: string; expiresIn: number }
  /** The user the token was issued to, or undefined when it is forged, malformed or expired. */
  verify(token: unknown): string | undefined
}

/** Tokens valid `ttlSeconds` (default 60): long enough to open the stream, short enough that a logged URL is stale. */
export function streamTokens(ttlSeconds = 60, now: () => number = Date.now): StreamTokens {
  const key = randomBytes(32)
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url')
  return {
    issue(userUuid) {
      const payload = Buffer.from(JSON.stringify({ u: userUuid, e: Math.floor(now() / 1000) + ttlSeconds })).toString('base64url')
      return { token: `${payload}.${sign(payload)}`, expiresIn: ttlSeconds }
    },
    verify(token) {
      if (typeof token !== 'string') return undefined
      const [payload, signature, extra] = token.split('.')
      if (!payload || !signature || extra !== undefined) return undefined
      const expected = Buffer.from(sign(payload))
      const given = Buffer.from(signature)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
      try {
        const { u, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: unknown; e?: unknown }
        return typeof u === 'string' && typeof e === 'number' && e * 1000 > now() ? u : undefined
      } catch {
        return undefined
      }
    }
  }
}
