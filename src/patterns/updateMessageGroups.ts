import type { StoreContext } from '../context.js'
import { isMessageSortKey, timeOfSortKey } from '../keys/keys.js'
import type { LatestMessage } from '../types.js'
import { Validator } from '../validation/validate.js'
import { syncGroupRows, type SyncOptions, type SyncResult } from './syncGroupRows.js'
import { validateSyncOptions } from './validateSyncOptions.js'
import { invalidate } from '../cache/invalidate.js'

/**
 * Options of {@link MessagingClient.updateMessageGroups}: how long to wait for the index to catch up.
 *
 * @example
 * ```ts
 * await messaging.updateMessageGroups(latest, { maxAttempts: 8, baseDelayMs: 100 })
 * ```
 */
export type UpdateMessageGroupsOptions = SyncOptions
/**
 * Result of {@link MessagingClient.updateMessageGroups}.
 *
 * @example
 * ```ts
 * const { moved, removed } = await messaging.updateMessageGroups(latest)
 * console.log(`${moved} rows moved, ${removed} stale duplicates removed`)
 * ```
 */
export type UpdateMessageGroupsResult = SyncResult

/**
 * Pattern D: moves every participant's conversation row to `latest`, if it is newer than what the row shows.
 *
 * A row's sort key is its last message's, so moving it means deleting the old row and putting a new one. Both
 * happen in one conditional transaction ({@link syncGroupRows}): a row is never lost (the seeds deleted, then crashed
 * before the put) and never doubled. Safe to repeat and to run concurrently; never moves a row back. A row the
 * bootcamp code lost is rebuilt when the participant it describes is known (`lost` in the result otherwise). With a
 * cache, every participant's cached conversation list is marked stale before this returns, also when the rows were
 * already current (a repeated call then repairs an invalidation an earlier one could not make), and before it throws
 * when a row write was sent whose outcome is unknown.
 *
 * @throws {@link ValidationError} for a bad `latest` or option (`max_attempts_invalid`, `base_delay_ms_invalid`).
 * @throws {@link StaleIndexError} when the index still disagrees with the table after `maxAttempts` reads.
 */
export async function updateMessageGroups(
  store: StoreContext,
  latest: LatestMessage,
  options?: UpdateMessageGroupsOptions
): Promise<UpdateMessageGroupsResult> {
  const check = new Validator()
  const fields = check.object('input', latest)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  if (!isMessageSortKey(fields.sortKey) || timeOfSortKey(fields.sortKey as string) === undefined) {
    check.fail('sortKey', 'sort_key_invalid', 'must be a message sort key such as Message.sortKey')
  }
  // The same rules as createMessage: a Message's text passes unchanged, and no text DynamoDB would refuse reaches it.
  const message = check.messageText('message', fields.message)
  // The sender as the stored message has it (checked when it was sent; a bootcamp message is what it is). Only the
  // uuid, which becomes a key, is checked as such.
  const sender: Pick<LatestMessage, 'userUuid' | 'displayName' | 'handle'> = {}
  if (fields.userUuid !== undefined) sender.userUuid = check.uuid('userUuid', fields.userUuid)
  if (typeof fields.displayName === 'string') sender.displayName = fields.displayName
  else if (fields.displayName !== undefined) check.fail('displayName', 'display_name_invalid', 'must be a string')
  if (typeof fields.handle === 'string') sender.handle = fields.handle
  else if (fields.handle !== undefined) check.fail('handle', 'handle_invalid', 'must be a string')
  const syncOptions = validateSyncOptions(check, check.options('options', options))
  check.done()
  const result = await syncGroupRows(store, { messageGroupUuid, sortKey: fields.sortKey as string, message, ...sender }, syncOptions)
  await invalidate(store, { users: result.owners })
  return result
}
