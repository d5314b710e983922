import type { Validator } from '../validation/validate.js'

/**
 * The Redis channel {@link redisEventPublisher} publishes on and {@link subscribeRedisEvents} listens to, unless told
 * another: one channel for the whole deployment (several tables or apps sharing a Redis each pick their own).
 *
 * @example
 * ```ts
 * const publish = redisEventPublisher({ client: redis, channel: `${DEFAULT_EVENTS_CHANNEL}:staging` })
 * ```
 */
export const DEFAULT_EVENTS_CHANNEL = 'dm:events'

/** `channel`: 1 to 256 characters; the default when not given. */
export function checkChannel(check: Validator, value: unknown): string {
  if (value === undefined) return DEFAULT_EVENTS_CHANNEL
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) {
    check.invalid('channel', 'must be a string of 1 to 256 characters')
    return DEFAULT_EVENTS_CHANNEL
  }
  return value
}
