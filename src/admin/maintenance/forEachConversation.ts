import { forEachLimited } from '../../concurrency/forEachLimited.js'
import { compare } from '../../keys/compare.js'
import { describeError } from './describeError.js'
import type { RunOptions } from './validateMaintenanceOptions.js'

/**
 * A conversation a maintenance run could not finish, and why: run the command again to finish it.
 *
 * @example
 * ```ts
 * const { failed } = await repairTable({ client, scope: 'all' })
 * const failures: FailedConversation[] = failed
 * for (const { messageGroupUuid, error } of failures) console.error(`${messageGroupUuid}: ${error}`)
 * ```
 */
export interface FailedConversation {
  /** The conversation (for a pair link of adopt, the pair's derived id). */
  messageGroupUuid: string
  /** What went wrong, in one line: the error's name and first line, never a stack. */
  error: string
}

/**
 * Runs `work` on each conversation, `concurrency` at a time, telling `onProgress` as each ends. An error (throttling
 * past the retries included) is recorded for its conversation and the others go on. Results and failures come back
 * sorted by conversation, so two runs over the same table report alike.
 */
export async function forEachConversation<T extends { messageGroupUuid: string }>(
  ids: readonly string[],
  options: Pick<RunOptions, 'concurrency' | 'onProgress'>,
  work: (messageGroupUuid: string) => Promise<T>
): Promise<{ done: T[]; failed: FailedConversation[] }> {
  const done: T[] = []
  const failed: FailedConversation[] = []
  let count = 0
  options.onProgress?.({ phase: 'conversations', done: 0, total: ids.length })
  await forEachLimited(ids, options.concurrency, async (messageGroupUuid) => {
    try {
      done.push(await work(messageGroupUuid))
    } catch (error) {
      failed.push({ messageGroupUuid, error: describeError(error) })
    }
    options.onProgress?.({ phase: 'conversations', done: ++count, total: ids.length })
  })
  const byId = (a: { messageGroupUuid: string }, b: { messageGroupUuid: string }) => compare(a.messageGroupUuid, b.messageGroupUuid)
  return { done: done.sort(byId), failed: failed.sort(byId) }
}
