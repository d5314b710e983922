import type { StoreContext } from '../createStoreContext.js'
import { isMessageSortKey, messagePk, timeOfSortKey } from '../keys/keys.js'
import type { LatestMessage } from '../types.js'
import { Validator } from '../validation/validate.js'
import { updateInbox, type InboxUpdateOptions, type InboxUpdateResult } from '../inbox/updateInbox.js'
import { validateInboxUpdateOptions } from '../inbox/validateInboxUpdateOptions.js'
import { invalidate } from '../cache/invalidate.js'
import { readConversation } from '../table/readMembers.js'

/**
 * Options of {@link MessagingClient.updateMessageGroups}: how often to decide again when rows change under it.
 *
 * @example
 * ```ts
 * await messaging.updateMessageGroups(latest, { maxAttempts: 8, baseDelayMs: 50 })
 * ```
 */
export type UpdateMessageGroupsOptions = InboxUpdateOptions
/**
 * Result of {@link MessagingClient.updateMessageGroups}.
 *
 * @example
 * ```ts
 * const { updated, participants } = await messaging.updateMessageGroups(latest)
 * console.log(`${updated} rows updated`, participants)
 * ```
 */
export type UpdateMessageGroupsResult = InboxUpdateResult

/**
 * Pattern D: brings every member's conversation row to `latest`, if it is newer than what the row shows, with one
 * conditional UpdateItem per row that changes (see {@link updateInbox}). Safe to repeat and to run concurrently; never
 * moves a row back; never gives a row back to someone no longer a member. With a cache, every member's cached
 * conversation list is marked stale before this returns, also when the rows were already current (a repeated call
 * then repairs an invalidation an earlier one could not make), and before it throws (rows may be written by then).
 *
 * @throws {@link ValidationError} for a bad `latest` or option (`max_attempts_invalid`, `base_delay_ms_invalid`).
 * @throws {@link ConcurrentUpdateError} when rows kept changing through `maxAttempts` decisions.
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
  const inboxOptions = validateInboxUpdateOptions(check, check.options('options', options))
  check.done()
  const sortKey = fields.sortKey as string
  let result: UpdateMessageGroupsResult
  try {
    result = await updateInbox(store, { messageGroupUuid, sortKey }, [sortKey], inboxOptions)
  } catch (error) {
    // Rows may be written (before a later one failed, or with their answer lost): every member's list is stale.
    if (store.cache) await invalidate(store, { users: await membersOf(store, messageGroupUuid) })
    throw error
  }
  const sk = messagePk(messageGroupUuid)
  await invalidate(store, { rows: result.owners.map((owner) => ({ ...owner, sk })) })
  return result
}

/** The members' uuids, or none when they cannot be read either (the caller's error says why). */
async function membersOf(store: StoreContext, messageGroupUuid: string): Promise<string[]> {
  return readConversation(store, messageGroupUuid).then(
    ({ members }) => members.map((member) => member.uuid),
    () => []
  )
}
