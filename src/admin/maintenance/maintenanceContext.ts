import { createStoreContext, type StoreContext } from '../../createStoreContext.js'
import { retryingDocumentClient } from '../../retry/retryingDocumentClient.js'
import { toDocumentClient } from '../../table/toDocumentClient.js'
import type { RunOptions } from './validateMaintenanceOptions.js'

/** A run's running totals: throttled requests sent again, across every step. */
export interface RunState {
  throttleRetries: number
}

/**
 * The store a maintenance run works through: every request it sends is retried while DynamoDB throttles it, each
 * retry counted in `state`; with a cache, what the run changes is marked stale in it.
 */
export function maintenanceContext(options: RunOptions, state: RunState): StoreContext {
  const documentClient = retryingDocumentClient(toDocumentClient(options.client), {
    ...options.retry,
    onRetry: () => void state.throttleRetries++
  })
  const { cache, cacheTimeoutMs, onCacheError } = options
  return createStoreContext({
    client: documentClient,
    ...(options.tableName !== undefined && { tableName: options.tableName }),
    ...(cache && { cache }),
    ...(cacheTimeoutMs !== undefined && { cacheTimeoutMs }),
    ...(onCacheError && { onCacheError })
  })
}
