import type { StoreContext } from '../createStoreContext.js'
import { conversationScope, membershipVersionKey, userScope, versionKey } from './cacheKeys.js'
import { newToken } from './newToken.js'
import { encodeVersion, type RowWatermark } from './watermark.js'

/**
 * What a write changed: conversations (their Pattern A pages), conversations' memberships, users (their Pattern B
 * pages), and the conversation rows it left (a user's Pattern B pages, with the rows' revisions, which an index read
 * must show before its page is stored).
 */
export interface InvalidationScopes {
  readonly conversations?: readonly string[]
  readonly memberships?: readonly string[]
  readonly users?: readonly string[]
  readonly rows?: ReadonlyArray<{ readonly userUuid: string } & RowWatermark>
}

/**
 * Marks the cached values of these scopes stale: each version gets a fresh random token, so no value stored under an
 * older one is served again. Call it after the DynamoDB write committed, or when its outcome is unknown, and before
 * the write is reported done. Idempotent and order-free (any fresh token invalidates); one call per version key, in
 * parallel, since scopes live in different Redis Cluster slots. Never throws: a failure is reported through
 * `onCacheError` and leaves values readable until their TTL. Without a cache, it does nothing.
 */
export async function invalidate(store: Pick<StoreContext, 'cache'>, scopes: InvalidationScopes): Promise<void> {
  const layer = store.cache
  if (!layer) return
  const at = Date.now()
  const versions = new Map<string, string>()
  for (const uuid of scopes.conversations ?? []) versions.set(versionKey(layer.tableName, conversationScope(uuid)), newToken())
  for (const uuid of scopes.memberships ?? []) versions.set(membershipVersionKey(layer.tableName, uuid), newToken())
  for (const uuid of scopes.users ?? []) versions.set(versionKey(layer.tableName, userScope(uuid)), newToken())
  const marks = new Map<string, RowWatermark[]>()
  for (const { userUuid, ...mark } of scopes.rows ?? []) marks.set(userUuid, [...(marks.get(userUuid) ?? []), mark])
  for (const [uuid, rows] of marks) versions.set(versionKey(layer.tableName, userScope(uuid)), encodeVersion(newToken(), at, rows))
  await Promise.all([...versions].map(([key, value]) => layer.store.setMany([{ key, value }], 'invalidate')))
}
