import type { StoredReadState } from './readState.js'

/** The read-state attributes of a row as it was read (any type: the condition compares what is stored). */
export interface ReadAsRead {
  last_read_sk?: unknown
  unread_count?: unknown
}

/**
 * `attribute_exists(pk)` and "the read state is still what was read": a `markRead` or a Pattern D move that lands
 * between the read and this write makes it fail, so the writer reads again instead of overwriting the other's effect.
 */
export function unchangedReadState(row: ReadAsRead): { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> } {
  const values: Record<string, unknown> = {}
  const parts = (['last_read_sk', 'unread_count'] as const).map((name) => {
    if (row[name] === undefined) return `attribute_not_exists(${name})`
    values[`:was_${name}`] = row[name]
    return `${name} = :was_${name}`
  })
  return {
    ConditionExpression: ['attribute_exists(pk)', ...parts].join(' AND '),
    ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values })
  }
}

/**
 * One conditional UpdateItem of a row's read state: the only way this library changes a read state in place (Pattern D
 * for a repeated or late message, and `markRead`). Shaped for `UpdateCommand` and a transaction's `Update` alike.
 */
export function readStateUpdate(tableName: string, key: { pk: string; sk: string }, was: ReadAsRead, state: StoredReadState) {
  const [set, remove, values] = [[] as string[], [] as string[], {} as Record<string, unknown>]
  for (const name of ['unread_count', 'last_read_sk', 'unread_owner_uuid'] as const) {
    if (state[name] === undefined) remove.push(name)
    else {
      set.push(`${name} = :${name}`)
      values[`:${name}`] = state[name]
    }
  }
  const condition = unchangedReadState(was)
  return {
    TableName: tableName,
    Key: { pk: key.pk, sk: key.sk },
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: condition.ConditionExpression,
    ExpressionAttributeValues: { ...values, ...condition.ExpressionAttributeValues }
  }
}
