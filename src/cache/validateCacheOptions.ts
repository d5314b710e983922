import type { Validator } from '../validation/validate.js'
import type { CacheOptions, MessagingCache } from './MessagingCache.js'

/**
 * Checks the cache options into `check`: `cache` must have the three {@link MessagingCache} functions,
 * `cacheTimeoutMs` is 1 to 60 000, `onCacheError` a function; both of those only with a cache (they would do nothing).
 */
export function validateCacheOptions(check: Validator, fields: Record<string, unknown>): CacheOptions {
  const cache = fields.cache
  const cacheLike =
    typeof cache === 'object' &&
    cache !== null &&
    (['getMany', 'setMany', 'setIfAbsent'] as const).every((name) => typeof (cache as Record<string, unknown>)[name] === 'function')
  if (cache !== undefined && !cacheLike) {
    check.invalid('cache', 'must be a MessagingCache (getMany, setMany, setIfAbsent), e.g. redisCache() from dynamo-messaging/cache')
  }
  const cacheTimeoutMs = check.integer('cacheTimeoutMs', fields.cacheTimeoutMs, { min: 1, max: 60_000 })
  const onCacheError = check.callback<NonNullable<CacheOptions['onCacheError']>>('onCacheError', fields.onCacheError)
  if (cache === undefined) {
    const useless = { cacheTimeoutMs, onCacheError }
    for (const name of ['cacheTimeoutMs', 'onCacheError'] as const) {
      if (useless[name] !== undefined) check.invalid(name, 'applies only with a cache: give `cache` too')
    }
  }
  return {
    ...(cacheLike && { cache: cache as MessagingCache }),
    ...(cacheTimeoutMs !== undefined && { cacheTimeoutMs }),
    ...(onCacheError && { onCacheError })
  }
}
