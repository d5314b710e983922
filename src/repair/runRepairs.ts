import { forEachLimited } from '../concurrency/forEachLimited.js'
import type { CacheOptions } from '../cache/MessagingCache.js'
import { invalidate } from '../cache/invalidate.js'
import { createContext, type ClientOptions, type MessagingContext } from '../context.js'
import { retryingDocumentClient } from '../retry/retryingDocumentClient.js'
import { toDocumentClient } from '../table/toDocumentClient.js'
import type { LostGroupRow } from '../types.js'
import { repairConversation, type ConversationRepair } from './repairConversation.js'

/**
 * Where a maintenance command is, for a progress bar: `phase` names the step, `done` of `total` (when known) its
 * progress. `find`: items read while looking for conversations (`total` is the table's approximate item count);
 * `conversations`: conversations repaired; `pairs`: pair links written (adopt); `table`: waiting for the table.
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
 * What {@link repairTable} did, or would do with `dryRun`. Also the part of {@link AdoptTableResult} about rows.
 *
 * @example
 * ```ts
 * const result: RepairTableResult = await repairTable({ client, scope: 'all' })
 * console.log(`${result.rows.moved} rows moved, ${result.rows.removed} duplicates removed, ${result.rows.recreated} rebuilt`)
 * for (const { messageGroupUuid, error } of result.failed) console.error(messageGroupUuid, error) // run it again
 * ```
 */
export interface RepairTableResult {
  /** Nothing was written: the counts are what a real run would write. */
  dryRun: boolean
  /** Conversations examined: 0 for a `{ messageGroupUuid }` scope naming a conversation the table holds nothing of. */
  conversations: number
  /**
   * Rows moved to the newest message, duplicates removed, lost rows rebuilt, and rows left where they are whose unread
   * count or read marker was corrected in place.
   */
  rows: { moved: number; removed: number; recreated: number; corrected: number }
  /** Rows that are missing and could not be rebuilt (conversations whose participants the table does not name). */
  lost: LostGroupRow[]
  /** Conversations whose rows and messages do not name both participants; their rows in view were still moved. */
  unresolved: Array<{ messageGroupUuid: string; reason: string }>
  /** Conversations with rows but no message to bring them to; left as they are. */
  withoutMessages: string[]
  /** Conversations that could not be repaired (an error other than throttling, or throttling past the retries). */
  failed: Array<{ messageGroupUuid: string; error: string }>
  /**
   * What changed (or would): conversations with any write, and users whose conversation list changed. A cache of
   * pages (conversation lists, members) should drop these.
   */
  changed: { messageGroupUuids: string[]; userUuids: string[] }
  /** Requests DynamoDB throttled and that were sent again after a pause. */
  throttleRetries: number
}

/** Options shared by the runs of {@link repairTable} and {@link adoptTable}, already checked. */
export interface RunOptions {
  dryRun: boolean
  concurrency: number
  pageSize: number
  retry: { maxRetries: number; baseDelayMs: number }
  onProgress?: (progress: MaintenanceProgress) => void
}

/** A run's running totals: counts throttled retries across every step. */
export interface RunState {
  throttleRetries: number
}

/**
 * The context a maintenance run works through: every request it sends is retried while DynamoDB throttles it, each
 * retry counted in `state`; with a cache, what a repair changes is marked stale in it.
 */
export function maintenanceContext(options: ClientOptions & CacheOptions & RunOptions, state: RunState): MessagingContext {
  const documentClient = retryingDocumentClient(toDocumentClient(options.client), {
    ...options.retry,
    onRetry: () => void state.throttleRetries++
  })
  const { cache, cacheTimeoutMs, onCacheError } = options
  return createContext({
    client: documentClient,
    ...(options.tableName !== undefined && { tableName: options.tableName }),
    ...(cache && { cache }),
    ...(cacheTimeoutMs !== undefined && { cacheTimeoutMs }),
    ...(onCacheError && { onCacheError })
  })
}

/**
 * Repairs `ids` with bounded concurrency. An error (throttling past the retries included) is recorded for its
 * conversation, and the others go on.
 */
export async function runRepairs(
  ctx: MessagingContext,
  ids: readonly string[],
  options: RunOptions & { writeMembers: boolean },
  state: RunState
): Promise<{ repairs: ConversationRepair[]; failed: RepairTableResult['failed'] }> {
  const repairs: ConversationRepair[] = []
  const failed: RepairTableResult['failed'] = []
  let done = 0
  options.onProgress?.({ phase: 'conversations', done, total: ids.length })
  await forEachLimited(ids, options.concurrency, async (messageGroupUuid) => {
    try {
      const repair = await repairConversation(ctx, messageGroupUuid, {
        dryRun: options.dryRun,
        writeMembers: options.writeMembers,
        pageSize: options.pageSize
      })
      repairs.push(repair)
      // As each conversation is done, so that a run stopped midway has still invalidated what it changed.
      if (!options.dryRun && (repair.membersWritten || repair.changedUsers.length > 0)) {
        await invalidate(ctx, { conversations: [messageGroupUuid], users: repair.changedUsers })
      }
    } catch (error) {
      failed.push({ messageGroupUuid, error: describe(error) })
    }
    options.onProgress?.({ phase: 'conversations', done: ++done, total: ids.length })
  })
  const byId = (a: { messageGroupUuid: string }, b: { messageGroupUuid: string }) => (a.messageGroupUuid < b.messageGroupUuid ? -1 : 1)
  return { repairs: repairs.sort(byId), failed: failed.sort(byId) }
}

/** The totals of a run's repairs, in the shape of {@link RepairTableResult}. */
export function summarize(
  repairs: readonly ConversationRepair[],
  failed: RepairTableResult['failed'],
  options: { dryRun: boolean; conversations: number; extraChanged?: readonly string[] },
  state: RunState
): RepairTableResult {
  const rows = { moved: 0, removed: 0, recreated: 0, corrected: 0 }
  const changedGroups = new Set<string>(options.extraChanged)
  const changedUsers = new Set<string>()
  for (const repair of repairs) {
    rows.moved += repair.sync?.moved ?? 0
    rows.removed += repair.sync?.removed ?? 0
    rows.recreated += repair.sync?.recreated ?? 0
    rows.corrected += repair.sync?.corrected ?? 0
    if (repair.membersWritten || repair.changedUsers.length > 0) changedGroups.add(repair.messageGroupUuid)
    for (const user of repair.changedUsers) changedUsers.add(user)
  }
  return {
    dryRun: options.dryRun,
    conversations: options.conversations,
    rows,
    lost: repairs.flatMap((repair) => repair.sync?.lost ?? []),
    unresolved: repairs.flatMap((repair) =>
      repair.outcome === 'unresolved' ? [{ messageGroupUuid: repair.messageGroupUuid, reason: repair.reason ?? 'unknown' }] : []
    ),
    withoutMessages: repairs.filter((repair) => repair.outcome === 'no-messages').map((repair) => repair.messageGroupUuid),
    failed: [...failed],
    changed: { messageGroupUuids: [...changedGroups].sort(), userUuids: [...changedUsers].sort() },
    throttleRetries: state.throttleRetries
  }
}

/** One line for an error: its name and first line, never a stack. */
export function describe(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown }
  const first = typeof message === 'string' ? message.split('\n', 1)[0]! : String(error)
  return typeof name === 'string' && name !== 'Error' && !first.startsWith(name) ? `${name}: ${first}` : first
}
