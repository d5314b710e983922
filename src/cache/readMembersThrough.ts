import type { Participant } from '../types.js'
import type { CacheLayer } from './createCacheLayer.js'
import { membersKey } from './cacheKeys.js'
import type { CachedValue } from './lookupPage.js'

/**
 * A conversation's members through the cache. Members never change once written, so a cached list is served as it
 * is, without a version; a conversation without a members item is never cached (one created later must be found).
 * Concurrent misses share one read of the item, but only a found item is shared: a reader that joined a read that
 * found nothing reads again, since the conversation may have been created after that read began.
 *
 * @param prefetched the members key's value when a page lookup already read it (one round trip with the page)
 * @param readItem the members item from DynamoDB, strongly consistent
 */
export async function readMembersThrough(
  layer: CacheLayer,
  messageGroupUuid: string,
  prefetched: CachedValue | undefined,
  readItem: () => Promise<Participant[] | undefined>
): Promise<Participant[] | undefined> {
  const key = membersKey(layer.tableName, messageGroupUuid)
  const read: CachedValue = prefetched ?? (await readOne(layer, key))
  const cached = parseMembers(read.value)
  layer.onRead({ kind: 'members', uuid: messageGroupUuid, hit: cached !== undefined })
  if (cached) return cached

  const flightKey = `${key}\n`
  const joined = layer.flights.get(flightKey) as Promise<Participant[] | undefined> | undefined
  const shared = joined && (await joined)
  if (shared) return shared
  const flight = (async () => {
    const members = await readItem()
    // A cache that just failed to answer is not asked again to store: one failure per read, not two.
    if (members && read.answered) await layer.store.setMany([{ key, value: JSON.stringify(members) }], 'fill')
    return members
  })()
  layer.flights.set(flightKey, flight)
  try {
    return await flight
  } finally {
    if (layer.flights.get(flightKey) === flight) layer.flights.delete(flightKey)
  }
}

async function readOne(layer: CacheLayer, key: string): Promise<CachedValue> {
  const values = await layer.store.getMany([key])
  return { value: values?.[0], answered: values !== undefined }
}

function parseMembers(value: string | undefined): Participant[] | undefined {
  if (value === undefined) return undefined
  try {
    const parsed: unknown = JSON.parse(value)
    const valid =
      Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.every((p) => typeof p?.uuid === 'string' && typeof p.displayName === 'string' && typeof p.handle === 'string')
    return valid ? (parsed as Participant[]) : undefined
  } catch {
    return undefined
  }
}
