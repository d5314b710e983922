import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import type { GroupUpdatePlan } from '../patterns/planGroupUpdate.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { readCancellation } from '../transactions/readCancellation.js'
import { compensationItems, orderedMoveSteps } from './orderedMoveSteps.js'
import { isConditionFailed } from '../transactions/isConditionFailed.js'

/**
 * Writes a Pattern D plan as an ordered move (see {@link RowMove}): every put, then every delete and read-state
 * update, each conditional. Returns `'retry'` when a condition failed (a stale view, a concurrent mover, a `markRead`
 * in between): the caller reads the rows again and plans anew, which folds any row this attempt left doubled. Any
 * other error is thrown once every owner's steps have finished, and the stream record is delivered again, with the
 * same effect.
 *
 * Why it never loses a row: a row is deleted only after its replacement was written, and a replacement is undone only
 * while the row it replaces still exists (compensationItems). Why it leaves no lasting duplicate: an owner with two rows
 * is folded to the newest by the next plan (the retry here, the record's redelivery, or the conversation's next
 * message). Why it never moves back: every write is conditional on the rows as read, as in the transaction.
 */
export async function moveRowsOrdered(store: StoreContext, plan: GroupUpdatePlan, rows: readonly StoredMessageGroupRow[]): Promise<'done' | 'retry'> {
  const owners = orderedMoveSteps(store.tableName, plan, rows)
  const send = store.documentClient
  const puts = await Promise.allSettled(owners.flatMap((owner) => owner.puts.map((put) => send.send(new PutCommand(put)))))
  // A put that found a row at its key: another mover got there first. Nothing is deleted on this stale plan.
  if (settle(puts)) return 'retry'
  let retry = false
  // Every owner's steps run to the end (a compensation included) before this returns or throws: a redelivery started
  // while one was still in flight would plan from rows it is about to change.
  const done = await Promise.allSettled(
    owners.map(async (owner) => {
      const updates = await Promise.allSettled(owner.updates.map((update) => send.send(new UpdateCommand(update))))
      // The row that stays did not take its read state (it changed or is gone): deleting the others could leave none.
      if (settle(updates)) {
        retry = true
        return
      }
      const deletes = await Promise.allSettled(owner.deletes.map((del) => send.send(new DeleteCommand(del))))
      if (!settle(deletes)) return
      retry = true
      const failed = owner.deletes.filter((_, i) => deletes[i]!.status === 'rejected').map((del) => del.Key)
      for (const put of owner.puts) {
        try {
          await send.send(new TransactWriteCommand({ TransactItems: compensationItems(store.tableName, put.Item, failed) }))
        } catch (error) {
          // An old row is gone (a concurrent mover removed it: the new row stays) or the new row changed: re-plan.
          const cancellation = readCancellation(error)
          if (!cancellation || (cancellation.conditionFailed.length === 0 && !cancellation.conflict)) throw error
        }
      }
    })
  )
  const failed = done.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
  return retry ? 'retry' : 'done'
}

/** Whether a condition failed among the results; any other failure is thrown. */
function settle(results: PromiseSettledResult<unknown>[]): boolean {
  let conditionFailed = false
  for (const result of results) {
    if (result.status === 'fulfilled') continue
    if (isConditionFailed(result.reason)) conditionFailed = true
    else throw result.reason
  }
  return conditionFailed
}
