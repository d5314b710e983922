import type { StoredMessageGroupRow } from '../table/rows.js'
import type { LatestMessage } from '../types.js'
import { validateGroupUpdateInput } from './validateGroupUpdateInput.js'

/**
 * The writes that bring one conversation's rows to its latest message. Empty when nothing is to be done.
 *
 * @example
 * ```ts
 * const plan: GroupUpdatePlan = planGroupUpdate(rows, latest)
 * const TransactItems = [
 *   ...plan.deletes.map((Key) => ({ Delete: { TableName, Key, ConditionExpression: 'attribute_exists(pk)' } })),
 *   ...plan.puts.map((Item) => ({ Put: { TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } }))
 * ]
 * ```
 */
export interface GroupUpdatePlan {
  /** Rows to delete; each delete must find its row (else the view was stale). */
  deletes: Array<{ pk: string; sk: string }>
  /** Rows to create; each must not exist yet (else the view was stale). */
  puts: StoredMessageGroupRow[]
}

/**
 * Pattern D's decision, pure: given the current rows of a conversation and its latest message, which rows to delete
 * and which to put so that every participant has exactly one row, at the newest message.
 *
 * - Newer wins: a participant whose row is at this message or a newer one is left alone, so a replayed or late
 *   record never moves a conversation back.
 * - A participant with several rows (duplicates the seeds' stream function left) keeps only the newest.
 * - Anything but an array of stored rows and a message's `{ messageGroupUuid, sortKey, message }` is a
 *   `ValidationError`.
 *
 * @example
 * ```ts
 * const plan = planGroupUpdate(rowsFromTheIndex, { messageGroupUuid, sortKey: message.sortKey, message: message.message })
 * // plan.deletes: the old rows; plan.puts: the same rows at the new sort key with the new text
 * ```
 */
export function planGroupUpdate(rows: readonly StoredMessageGroupRow[], latest: LatestMessage): GroupUpdatePlan {
  validateGroupUpdateInput(rows, latest)
  const byOwner = new Map<string, StoredMessageGroupRow[]>()
  for (const row of rows) {
    if (row.message_group_uuid !== latest.messageGroupUuid) continue
    const owned = byOwner.get(row.pk)
    if (owned) owned.push(row)
    else byOwner.set(row.pk, [row])
  }
  const plan: GroupUpdatePlan = { deletes: [], puts: [] }
  for (const owned of byOwner.values()) {
    let newest = owned[0]!
    for (const row of owned) if (compare(row.sk, newest.sk) > 0) newest = row
    const behind = compare(newest.sk, latest.sortKey) < 0
    if (behind) plan.puts.push({ ...newest, sk: latest.sortKey, message: latest.message })
    // Delete every other row of this owner (once per key, even if a view repeats a row); the newest too if behind.
    if (owned.length === 1) {
      if (behind) plan.deletes.push({ pk: newest.pk, sk: newest.sk })
      continue
    }
    const deleted = new Set<string>()
    for (const row of owned) {
      if ((row.sk === newest.sk && !behind) || deleted.has(row.sk)) continue
      deleted.add(row.sk)
      plan.deletes.push({ pk: row.pk, sk: row.sk })
    }
  }
  return plan
}

/** DynamoDB orders string keys by UTF-8 bytes; for the ASCII keys used here that is plain code-unit order. */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
