import type { ClientOptions } from './context.js'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createCacheLayer, type CacheLayer } from './cache/createCacheLayer.js'
import type { CacheOptions, CacheReadEvent } from './cache/MessagingCache.js'
import { DEFAULT_TABLE_NAME } from './table/tableDefinition.js'
import { toDocumentClient } from './table/toDocumentClient.js'

// Apart from context.ts, which builds the toolbox entities: the stream path imports only this, so its Lambda bundle
// leaves dynamodb-toolbox out.

/** The table and client, all that Pattern D and the stream path need (kept apart so a Lambda bundle stays small). */
export interface StoreContext {
  readonly tableName: string
  readonly documentClient: DynamoDBDocumentClient
  /** The cache, when one was given: reads go through it, writes invalidate it. */
  readonly cache?: CacheLayer
}

/** The cache options as the contexts take them, checked. */
export type CacheContextOptions = CacheOptions & { onCacheRead?: (event: CacheReadEvent) => void }

export function createStoreContext(options: ClientOptions & CacheContextOptions): StoreContext {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME
  const { cache } = options
  return {
    tableName,
    documentClient: toDocumentClient(options.client),
    ...(cache && { cache: createCacheLayer(tableName, { ...options, cache }) })
  }
}

