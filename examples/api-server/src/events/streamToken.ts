import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** The shortest `STREAM_TOKEN_SECRET`, in bytes: as long as the HMAC-SHA256 key it becomes. */
export const STREAM_TOKEN_SECRET_MIN_BYTES = 32

/**
 * Short-lived tokens that open an event stream. A browser's EventSource cannot send an `Authorization` header, so an
 * authenticated `POST /api/events/token` hands one out and `GET /api/events?token=…` takes it. HMAC-signed: with a
 * `secret` (`STREAM_TOKEN_SECRET`) every server sharing it accepts the tokens of the others; without one, with a key
 * made at start-up, so a token is good only on the server that issued it, and a restarted server rejects old tokens
 * (the page simply asks for a new one).
 */
export interface StreamTokens {
  issue(userUuid: string): { token: string; expiresIn: number }
  /** The user the token was issued to, or undefined when it is forged, malformed or expired. */
  verify(token: unknown): string | undefined
}

/** Options of {@link streamTokens}. */
export interface StreamTokenOptions {
  /** At least {@link STREAM_TOKEN_SECRET_MIN_BYTES} bytes, the same on every server; default a random key per process. */
  secret?: string
  /** How long a token opens a stream: long enough to open it, short enough that a logged URL is stale. Default 60. */
  ttlSeconds?: number
  now?: () => number
}

/** Tokens valid `ttlSeconds`; see {@link StreamTokens}. */
export function streamTokens(options: StreamTokenOptions = {}): StreamTokens {
  const { secret, ttlSeconds = 60, now = Date.now } = options
  if (secret !== undefined && Buffer.byteLength(secret) < STREAM_TOKEN_SECRET_MIN_BYTES) {
    throw new Error(`The stream token secret must be at least ${STREAM_TOKEN_SECRET_MIN_BYTES} bytes`)
  }
  // A key of its own, derived from the secret: the same secret used elsewhere never signs anything these accept.
  const key = secret === undefined ? randomBytes(32) : createHmac('sha256', secret).update('cruddur event stream token v1').digest()
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
