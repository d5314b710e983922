import type { Validator } from '../validation/validate.js'

/**
 * Every key of the adapters expires after this many seconds by default: the bootcamp's `MOMENTO_TTL_SECONDS`.
 *
 * @example
 * ```ts
 * const cache = redisCache({ client, ttlSeconds: DEFAULT_TTL_SECONDS / 2 })
 * ```
 */
export const DEFAULT_TTL_SECONDS = 600
/**
 * The default prefix of every key the adapters store, so a shared Redis or Momento cache can tell them apart.
 *
 * @example
 * ```ts
 * const keys = await redis.keys(`${DEFAULT_PREFIX}*`) // what dynamo-messaging stored (KEYS blocks: not in production)
 * ```
 */
export const DEFAULT_PREFIX = 'dm:'

const MAX_TTL_SECONDS = 30 * 24 * 3600

/** `ttlSeconds` (1 s to 30 days) into `check`; the default when not given. */
export function checkTtlSeconds(check: Validator, path: string, value: unknown): number {
  return check.integer(path, value, { min: 1, max: MAX_TTL_SECONDS }) ?? DEFAULT_TTL_SECONDS
}

/** `prefix`: up to 128 characters without `{` or `}`, which would change the Redis Cluster hash slot of every key. */
export function checkPrefix(check: Validator, value: unknown): string {
  if (value === undefined) return DEFAULT_PREFIX
  if (typeof value !== 'string' || value.length > 128 || /[{}]/.test(value)) {
    check.invalid('prefix', 'must be a string of up to 128 characters without { or }')
    return DEFAULT_PREFIX
  }
  return value
}

/** A client object with these methods (what the adapter calls), else `client_invalid` naming what it expects. */
export function checkClient<T>(check: Validator, value: unknown, methods: readonly string[], expected: string): T {
  const clientLike =
    typeof value === 'object' && value !== null && methods.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
  if (!clientLike) check.invalid('client', `must be ${expected}`)
  return value as T
}
