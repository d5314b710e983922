import type { CacheLayer } from './createCacheLayer.js'
import { membersKey, pageKey, versionKey, type CacheScope } from './cacheKeys.js'
import type { CacheReadEvent } from './MessagingCache.js'
import { newToken } from './newToken.js'
import { shareFlight } from './shareFlight.js'

/** One page's lookup: the scope's version, the page, and the conversation's members if asked, read in one call. */
export interface PageLookup {
  /** Whether there is a cache at all. Without one, `page` just loads, and loads should read as they always have. */
  readonly cached: boolean
  /** The members key's value when it was asked for (`undefined` when not); `answered: false` when the cache failed. */
  readonly members: CachedValue | undefined
  /**
   * The cached page when it was stored under the scope's current version; otherwise `load()`'s page, stored under
   * the version seen BEFORE loading. A slow reader's page therefore carries a version that any write completed in
   * the meantime has replaced, and nobody accepts it (the stale-set race).
   */
  page<T>(event: Omit<CacheReadEvent, 'hit'>, load: () => Promise<T>): Promise<T>
}

/** A value read from the cache: `undefined` on a miss, or when the cache did not answer (`answered: false`). */
export interface CachedValue {
  readonly value: string | undefined
  readonly answered: boolean
}

const WITHOUT_CACHE: PageLookup = { cached: false, members: undefined, page: (_event, load) => load() }

/**
 * Looks a page of `scope` up: its version, the page by `limit` and `startSk`, and with `members` the conversation's
 * members, all in the scope's hash slot and so in one call. See docs/caching.md for why this never serves a page
 * older than a completed write.
 */
export async function lookupPage(
  layer: CacheLayer | undefined,
  scope: CacheScope,
  request: { limit: number; startSk: string | undefined; members?: boolean }
): Promise<PageLookup> {
  if (!layer) return WITHOUT_CACHE
  const scopeVersion = versionKey(layer.tableName, scope)
  const key = pageKey(layer.tableName, scope, request.limit, request.startSk)
  const keys = [scopeVersion, key, ...(request.members ? [membersKey(layer.tableName, scope.uuid)] : [])]
  const values = await layer.store.getMany(keys)
  const version = values?.[0]
  return {
    cached: true,
    members: request.members ? { value: values?.[2], answered: values !== undefined } : undefined,
    async page(event, load) {
      const entry = version === undefined ? undefined : parseEntry(values?.[1])
      const hit = entry !== undefined && entry.v === version
      layer.onRead({ ...event, hit })
      if (hit) return entry.p as never
      // A missing version (never set, expired, evicted) is created, never assumed; a concurrent reader's wins.
      const token = version ?? (values ? await layer.store.setIfAbsent(scopeVersion, newToken()) : undefined)
      if (token === undefined) return load() // the cache is failing: no version to store a page under
      return shareFlight(layer.flights, `${key}\n${token}`, async () => {
        const page = await load()
        await layer.store.setMany([{ key, value: JSON.stringify({ v: token, p: page }) }], 'fill')
        return page
      })
    }
  }
}

/** A stored page `{ v: version, p: page }`, or `undefined` for anything else (a miss, another program's value). */
function parseEntry(value: string | undefined): { v: string; p: unknown } | undefined {
  if (value === undefined) return undefined
  try {
    const parsed: unknown = JSON.parse(value)
    if (typeof parsed === 'object' && parsed !== null && 'v' in parsed && typeof parsed.v === 'string' && 'p' in parsed) {
      return { v: parsed.v, p: parsed.p }
    }
  } catch {
    // not ours: a miss
  }
  return undefined
}
