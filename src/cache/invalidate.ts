import type { StoreContext } from '../context.js'
import { conversationScope, userScope, versionKey } from './cacheKeys.js'
import { newToken } from './newToken.js'

/** What a write changed: conversations (their members and Pattern A pages) and users (their Pattern B pages). */
export interface InvalidationScopes {
  readonly conversations?: readonly string[]
  readonly users?: readonly string[]
}

/**
 * Marks the cached pages of these conversations and users stale: each scope's version gets a fresh random token, so
 * no page stored under an older one is served again. Call it after the DynamoDB write committed and before the write
 * is reported done. Idempotent and order-free (any fresh token invalidates); one call per scope, in parallel, since
 * scopes live in different Redis Cluster slots. Never throws: a failure is reported through `onCacheError` and leaves
 * pages readable until their TTL. Without a cache, it does nothing.
 */
export async function invalidate(store: Pick<StoreContext, 'cache'>, scopes: InvalidationScopes): Promise<void> {
  const layer = store.cache
  if (!layer) return
  const keys = new Set([
    ...(scopes.conversations ?? []).map((uuid) => versionKey(layer.tableName, conversationScope(uuid))),
    ...(scopes.users ?? []).map((uuid) => versionKey(layer.tableName, userScope(uuid)))
  ])
  await Promise.all([...keys].map((key) => layer.store.setMany([{ key, value: newToken() }], 'invalidate')))
}
