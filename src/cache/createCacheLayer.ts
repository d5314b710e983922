import { DEFAULT_CACHE_TIMEOUT_MS, guardCache, type GuardedCache } from './guardCache.js'
import type { CacheOptions, CacheReadEvent, MessagingCache } from './MessagingCache.js'
import { warnCacheError } from './warnCacheError.js'

/** The cache as the patterns see it: bounded, never throwing, and bound to one table's keys. */
export interface CacheLayer {
  readonly tableName: string
  readonly store: GuardedCache
  /** Told of each lookup's hit or miss (`onCacheRead`); never throws. */
  readonly onRead: (event: CacheReadEvent) => void
  /** DynamoDB reads in flight, by key and version: concurrent misses of one page share one read. */
  readonly flights: Map<string, Promise<unknown>>
}

/** The cache layer of one messaging client or stream handler, from its (validated) options. */
export function createCacheLayer(
  tableName: string,
  options: CacheOptions & { cache: MessagingCache; onCacheRead?: (event: CacheReadEvent) => void }
): CacheLayer {
  const { onCacheRead } = options
  return {
    tableName,
    store: guardCache(options.cache, {
      timeoutMs: options.cacheTimeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS,
      onError: options.onCacheError ?? warnCacheError()
    }),
    onRead: (event) => {
      try {
        onCacheRead?.(event)
      } catch {
        // A metrics hook must not fail the read it observes.
      }
    },
    flights: new Map()
  }
}
