import type { FailedConversation } from './forEachConversation.js'

/**
 * What every maintenance run reports, besides its own counts: {@link AdoptTableResult} and {@link RepairTableResult}
 * extend it.
 *
 * @example
 * ```ts
 * const report = (result: MaintenanceResult) =>
 *   `${result.dryRun ? 'would change' : 'changed'} ${result.changed.userUuids.length} users' lists; ${result.failed.length} to run again`
 * ```
 */
export interface MaintenanceResult {
  /** Nothing was written: the counts are what a real run would write. */
  dryRun: boolean
  /** Conversations that could not be finished (an error other than throttling, or throttling past the retries): run again. */
  failed: FailedConversation[]
  /**
   * What changed (or would): conversations with any write, and users whose conversation list changed. A cache of
   * pages should drop these (given `cache`, the run does it as each conversation is done).
   */
  changed: { messageGroupUuids: string[]; userUuids: string[] }
  /** Requests DynamoDB throttled and that were sent again after a pause. */
  throttleRetries: number
}
