import type { CacheOperation, MessagingCache } from './MessagingCache.js'

/**
 * How long one cache call may take by default (`cacheTimeoutMs`), in milliseconds: a Redis in the same region answers
 * in about 1 ms, Momento in a few.
 *
 * @example
 * ```ts
 * const messaging = createMessaging({ client, cache, cacheTimeoutMs: DEFAULT_CACHE_TIMEOUT_MS * 2 }) // a slow network
 * ```
 */
export const DEFAULT_CACHE_TIMEOUT_MS = 150
/**
 * After a read or fill timed out, reads skip the cache for this long: a cache that hangs (a network cut, no answer)
 * then costs one timeout a second instead of one per read. Invalidations are always attempted.
 */
export const BYPASS_AFTER_TIMEOUT_MS = 1_000

/** The cache as the library uses it: every call bounded in time, and none ever throws (`undefined`/`false` instead). */
export interface GuardedCache {
  /** The values, or `undefined` when the cache failed (or is skipped after a timeout). */
  getMany(keys: readonly string[]): Promise<Array<string | undefined> | undefined>
  /** Whether the entries were stored. */
  setMany(entries: ReadonlyArray<{ key: string; value: string }>, operation: 'fill' | 'invalidate'): Promise<boolean>
  /** The value the key holds now, or `undefined` when the cache failed. */
  setIfAbsent(key: string, value: string): Promise<string | undefined>
}

export type CacheErrorHook = (error: unknown, operation: CacheOperation, keys: readonly string[]) => void

/**
 * Wraps a {@link MessagingCache}: each call races a timer of `timeoutMs`, and every error, timeout or malformed answer
 * (a user's cache may return anything) is reported to `onError` and turned into "no answer", so the caller reads
 * DynamoDB instead. A call that answers after its timeout is ignored: whatever it stored is harmless by design (pages
 * carry the version they were read under; a late version bump only invalidates more).
 */
export function guardCache(
  cache: MessagingCache,
  options: { timeoutMs: number; onError: CacheErrorHook; now?: () => number }
): GuardedCache {
  const now = options.now ?? Date.now
  let bypassUntil = 0

  async function call<T>(operation: CacheOperation, keys: readonly string[], run: () => unknown, accept: (value: unknown) => value is T) {
    if (operation !== 'invalidate' && now() < bypassUntil) return undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const work = Promise.resolve().then(run)
      work.catch(() => {}) // once timed out, its own failure is of no interest
      const timeout = new Promise<never>((_, reject) => {
        // Declared after one more pass of the event loop's I/O: when the process itself stalled (GC, a busy loop), an
        // answer already waiting in the socket wins over the timer that fired in the same turn.
        const expire = () => reject(new CacheTimeoutError(operation, options.timeoutMs))
        timer = setTimeout(() => setImmediate(expire), options.timeoutMs)
      })
      const value = await Promise.race([work, timeout])
      if (!accept(value)) throw new TypeError(`the cache's answer to a ${operation} breaks the MessagingCache contract`)
      return { value }
    } catch (error) {
      if (error instanceof CacheTimeoutError && operation !== 'invalidate') bypassUntil = now() + BYPASS_AFTER_TIMEOUT_MS
      try {
        options.onError(error, operation, keys)
      } catch {
        // A hook that throws must not turn a cache problem into a failed read or write.
      }
      return undefined
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    async getMany(keys) {
      const answer = await call('read', keys, () => cache.getMany(keys), (value): value is ReadonlyArray<string | null | undefined> =>
        Array.isArray(value) && value.length === keys.length && value.every((v) => v === undefined || v === null || typeof v === 'string')
      )
      return answer?.value.map((value) => value ?? undefined)
    },
    async setMany(entries, operation) {
      const keys = entries.map((entry) => entry.key)
      return (await call(operation, keys, () => cache.setMany(entries), (_value): _value is unknown => true)) !== undefined
    },
    async setIfAbsent(key, value) {
      return (await call('read', [key], () => cache.setIfAbsent(key, value), (stored): stored is string => typeof stored === 'string'))?.value
    }
  }
}

/** A cache call that did not answer in time; told to `onCacheError` like any other failure. */
class CacheTimeoutError extends Error {
  constructor(operation: CacheOperation, timeoutMs: number) {
    super(`the cache did not answer a ${operation} within ${timeoutMs} ms`)
    this.name = 'CacheTimeoutError'
  }
}
