import type { CacheOptions } from '../../cache/MessagingCache.js'
import { validateCacheOptions } from '../../cache/validateCacheOptions.js'
import type { ClientOptions } from '../../context.js'
import { validateClientOptions } from '../../validation/validateClientOptions.js'
import type { Validator } from '../../validation/validate.js'

/**
 * Where a maintenance run is, for a progress bar: `phase` names the step, `done` of `total` (when known) its
 * progress. `find`: items read while looking for conversations (`total` is the table's approximate item count);
 * `conversations`: conversations migrated or repaired; `pairs`: pair links (adopt); `table`: waiting for the table.
 *
 * @example
 * ```ts
 * const onProgress = (p: MaintenanceProgress) => console.error(`${p.phase}: ${p.done}/${p.total ?? '?'}`)
 * await repairTable({ client, scope: 'all', onProgress })
 * ```
 */
export interface MaintenanceProgress {
  /** The step the run is at. */
  phase: 'table' | 'find' | 'conversations' | 'pairs'
  /** Progress in the step: items read, conversations or pairs done, or milliseconds waited for the table. */
  done: number
  /** What `done` goes up to, when known. */
  total?: number
}

/**
 * Options shared by {@link repairTable} and {@link adoptTable}.
 *
 * @example
 * ```ts
 * const options: MaintenanceOptions = {
 *   client: new DynamoDBClient({}),
 *   tableName: 'cruddur-messages',
 *   dryRun: true, // read everything, write nothing, count what would be written
 *   concurrency: 2, // conversations worked on at once: gentle on a 5/5 provisioned table
 *   retry: { maxRetries: 20, baseDelayMs: 200 }, // patience with throttling
 *   cache: redisCache({ client: redis }) // the API's cache: what each conversation's run changes is marked stale
 * }
 * ```
 */
export interface MaintenanceOptions extends ClientOptions, CacheOptions {
  /** Read and decide, write nothing; the result counts what a real run would write. Default `false`. */
  dryRun?: boolean
  /** Conversations worked on at once: a whole number from 1 to 64. Default 4. */
  concurrency?: number
  /** Items per read request (the `Limit` of each Scan and Query page): 1 to 1000. Default 100. */
  pageSize?: number
  /**
   * Throttled requests (`ProvisionedThroughputExceededException`, …) are sent again after a pause that doubles each
   * time (with jitter, at most 20 s), on top of the SDK's own few retries: `maxRetries` 0 to 50 (default 10),
   * `baseDelayMs` 0 to 60 000 (default 100).
   */
  retry?: { maxRetries?: number; baseDelayMs?: number }
  /** Told where the run is, for a progress bar; called synchronously and often. */
  onProgress?: (progress: MaintenanceProgress) => void
}

/** The options of a maintenance run, checked, with their defaults. */
export interface RunOptions extends ClientOptions, CacheOptions {
  dryRun: boolean
  concurrency: number
  pageSize: number
  retry: { maxRetries: number; baseDelayMs: number }
  onProgress?: (progress: MaintenanceProgress) => void
}

/** Checks the options shared by repair and adopt into `check`; defaults applied. */
export function validateMaintenanceOptions(check: Validator, fields: Record<string, unknown>): RunOptions {
  const clientOptions = validateClientOptions(check, fields)
  const cacheOptions = validateCacheOptions(check, fields)
  if (fields.dryRun !== undefined && typeof fields.dryRun !== 'boolean') check.invalid('dryRun', 'must be true or false')
  const concurrency = check.integer('concurrency', fields.concurrency, { min: 1, max: 64 }) ?? 4
  const pageSize = check.integer('pageSize', fields.pageSize, { min: 1, max: 1000 }) ?? 100
  const retry = check.options('retry', fields.retry)
  const maxRetries = check.integer('retry.maxRetries', retry.maxRetries, { min: 0, max: 50 }) ?? 10
  const baseDelayMs = check.integer('retry.baseDelayMs', retry.baseDelayMs, { min: 0, max: 60_000 }) ?? 100
  const onProgress = check.callback<(progress: MaintenanceProgress) => void>('onProgress', fields.onProgress)
  return {
    ...clientOptions,
    ...cacheOptions,
    dryRun: fields.dryRun === true,
    concurrency,
    pageSize,
    retry: { maxRetries, baseDelayMs },
    ...(onProgress && { onProgress })
  }
}
