import type { CacheLayer } from './createCacheLayer.js'
import type { CacheReadEvent } from './MessagingCache.js'
import { newToken } from './newToken.js'
import { shareFlight } from './shareFlight.js'
import { decodeVersion, type RowWatermark } from './watermark.js'

/** One cached value and the version key it is only good under (a scope's pages, or a conversation's membership). */
export interface VersionedKey {
  readonly version: string
  readonly key: string
}

/** What a loader read from DynamoDB, and whether it may be stored (a page an index has not caught up with may not). */
export interface Loaded<T> {
  readonly value: T
  readonly store: boolean
}

/** What the version a reader saw says about the newest write: when it was set and the rows it wrote (Pattern B). */
export interface VersionSeen {
  readonly at?: number
  readonly rows: readonly RowWatermark[]
}

/** The answers of one lookup: each value is the cached one when it was stored under its version, else loaded. */
export interface Lookup {
  /** Whether there is a cache at all. Without one, a value just loads, and loads read as they always have. */
  readonly cached: boolean
  /**
   * The `index`-th value: the cached one when it was stored under the version read now; otherwise `load(version)`'s,
   * stored (when the loader allows) under the version read BEFORE loading. A slow reader's value therefore carries a
   * version that any write completed meanwhile has replaced, and nobody accepts it (the stale-set race).
   */
  value<T>(index: number, event: Omit<CacheReadEvent, 'hit'>, load: (seen: VersionSeen) => Promise<Loaded<T>>): Promise<T>
}

const WITHOUT_CACHE: Lookup = { cached: false, value: async (_index, _event, load) => (await load({ rows: [] })).value }

/**
 * Reads every requested value and its version in one cache call (the keys of one lookup share a scope's hash slot).
 * See docs/caching.md for why this never serves a value older than a completed write.
 */
export async function lookup(layer: CacheLayer | undefined, requests: readonly VersionedKey[]): Promise<Lookup> {
  if (!layer) return WITHOUT_CACHE
  const values = await layer.store.getMany(requests.flatMap((request) => [request.version, request.key]))
  return {
    cached: true,
    async value(index, event, load) {
      const { version: versionKey, key } = requests[index]!
      const version = values?.[2 * index]
      const entry = version === undefined ? undefined : parseEntry(values?.[2 * index + 1])
      const hit = entry !== undefined && entry.v === version
      layer.onRead({ ...event, hit })
      if (hit) return entry.p as never
      // A missing version (never set, expired, evicted) is created, never assumed; a concurrent reader's wins.
      const token = version ?? (values ? await layer.store.setIfAbsent(versionKey, newToken()) : undefined)
      if (token === undefined) return (await load({ rows: [] })).value // the cache is failing: nothing to store under
      return shareFlight(layer.flights, `${key}\n${token}`, async () => {
        const loaded = await load(decodeVersion(token))
        if (loaded.store) await layer.store.setMany([{ key, value: JSON.stringify({ v: token, p: loaded.value }) }], 'fill')
        return loaded.value
      })
    }
  }
}

/** A stored value `{ v: version, p: value }`, or `undefined` for anything else (a miss, another program's value). */
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
