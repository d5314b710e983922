import type { GroupUpdatePlan } from '../patterns/planGroupUpdate.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { readStateUpdate, unchangedReadState } from '../unread/readStateWrites.js'

/** One owner's writes in an ordered move: the puts go out before any delete. */
export interface OwnerMoveSteps {
  /** The owner's partition, `GRP#<owner>`. */
  pk: string
  puts: Array<{ TableName: string; Item: StoredMessageGroupRow; ConditionExpression: string }>
  deletes: Array<{ TableName: string; Key: { pk: string; sk: string }; ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> }>
  updates: Array<ReturnType<typeof readStateUpdate>>
}

/**
 * A plan's writes grouped by owner, each with the same condition the transaction would give it: a put must find no
 * row at its key, a delete must find its row with the read state it was read with, an update likewise. Pure.
 */
export function orderedMoveSteps(tableName: string, plan: GroupUpdatePlan, rows: readonly StoredMessageGroupRow[]): OwnerMoveSteps[] {
  const asRead = new Map(rows.map((row) => [`${row.pk}\n${row.sk}`, row]))
  const was = (key: { pk: string; sk: string }) => asRead.get(`${key.pk}\n${key.sk}`) ?? {}
  const owners = new Map<string, OwnerMoveSteps>()
  const of = (pk: string) => {
    let steps = owners.get(pk)
    if (!steps) owners.set(pk, (steps = { pk, puts: [], deletes: [], updates: [] }))
    return steps
  }
  for (const row of plan.puts) of(row.pk).puts.push({ TableName: tableName, Item: row, ConditionExpression: 'attribute_not_exists(pk)' })
  for (const key of plan.deletes) of(key.pk).deletes.push({ TableName: tableName, Key: { pk: key.pk, sk: key.sk }, ...unchangedReadState(was(key)) })
  for (const update of plan.updates ?? []) of(update.pk).updates.push(readStateUpdate(tableName, update, was(update), update.readState))
  return [...owners.values()]
}

/**
 * Undoing one owner's new row after a delete of an old row failed its condition: the old row changed under the move (a
 * `markRead` landed on it), so the new row's read state is stale and the row must go, and the move be planned again.
 * One transaction, so that the new row is removed only while every old row whose delete failed still exists: if a
 * concurrent mover removed one, it did so because a newer or equal row (perhaps this one) exists, and removing it
 * could leave the owner with none. Pure.
 */
export function compensationItems(tableName: string, put: StoredMessageGroupRow, failedDeletes: ReadonlyArray<{ pk: string; sk: string }>) {
  return [
    ...failedDeletes.map((key) => ({ ConditionCheck: { TableName: tableName, Key: { pk: key.pk, sk: key.sk }, ConditionExpression: 'attribute_exists(pk)' } })),
    { Delete: { TableName: tableName, Key: { pk: put.pk, sk: put.sk }, ...unchangedReadState(put) } }
  ]
}
