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
  const parts = ['attribute_exists(pk)']
  const values: Record<string, unknown> = {}
  if (row.last_read_sk === undefined) parts.push('attribute_not_exists(last_read_sk)')
  else {
    parts.push('last_read_sk = :was_last_read_sk')
    values[':was_last_read_sk'] = row.last_read_sk
  }
  if (row.unread_count === undefined) parts.push('attribute_not_exists(unread_count)')
  else {
    parts.push('unread_count = :was_unread_count')
    values[':was_unread_count'] = row.unread_count
  }
  return { ConditionExpression: parts.join(' AND '), ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }) }
}

/**
 * One conditional UpdateItem of a row's read state: the only way this library changes a read state in place (Pattern D
 * for a repeated or late message, and `markRead`). Shaped for `UpdateCommand` and a transaction's `Update` alike.
 */
export function readStateUpdate(tableName: string, key: { pk: string; sk: string }, was: ReadAsRead, state: StoredReadState) {
  const set = ['unread_count = :unread_count']
  const remove: string[] = []
  const values: Record<string, unknown> = { ':unread_count': state.unread_count }
  if (state.last_read_sk === undefined) remove.push('last_read_sk')
  else {
    set.push('last_read_sk = :last_read_sk')
    values[':last_read_sk'] = state.last_read_sk
  }
  if (state.unread_owner_uuid === undefined) remove.push('unread_owner_uuid')
  else {
    set.push('unread_owner_uuid = :unread_owner_uuid')
    values[':unread_owner_uuid'] = state.unread_owner_uuid
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
