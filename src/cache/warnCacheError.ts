import type { CacheErrorHook } from './guardCache.js'
import type { CacheOperation } from './MessagingCache.js'

/** At most one warning per operation in this window: an outage must not flood the log, nor go unsaid. */
const WINDOW_MS = 60_000

const CONSEQUENCE: Record<CacheOperation, string> = {
  read: 'read DynamoDB instead',
  fill: 'served from DynamoDB without caching it',
  invalidate: 'the write succeeded, but pages it changed may be served from the cache until their TTL'
}

/**
 * The default `onCacheError`: a `console.warn` the first time an operation fails, then at most once a minute per
 * operation, saying how many failures it did not show.
 */
export function warnCacheError(log: (text: string) => void = console.warn, now: () => number = Date.now): CacheErrorHook {
  const windows = new Map<CacheOperation, { until: number; unshown: number }>()
  return (error, operation, keys) => {
    const window = windows.get(operation)
    if (window && now() < window.until) {
      window.unshown++
      return
    }
    windows.set(operation, { until: now() + WINDOW_MS, unshown: 0 })
    const more = window?.unshown ? ` (and ${window.unshown} more times since the last warning)` : ''
    const which = operation === 'invalidate' ? ` (${keys.join(', ')})` : ''
    log(`dynamo-messaging: cache ${operation} failed${more}; ${CONSEQUENCE[operation]}${which}: ${describe(error)}`)
  }
}

function describe(error: unknown): string {
  try {
    return (error instanceof Error ? error.message : String(error)).slice(0, 200)
  } catch {
    return 'an unreadable error'
  }
}
