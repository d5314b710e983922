import type { StoreContext } from '../context.js'
import { MESSAGE_GROUP_INDEX } from '../table/tableDefinition.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { queryAllRows } from './queryAllRows.js'

/** Every participant's row of one conversation, from the GSI (eventually consistent). */
export async function queryGroupRows(ctx: StoreContext, messageGroupUuid: string): Promise<StoredMessageGroupRow[]> {
  return queryAllRows(ctx, {
    IndexName: MESSAGE_GROUP_INDEX,
    KeyConditionExpression: 'message_group_uuid = :g',
    ExpressionAttributeValues: { ':g': messageGroupUuid }
  })
}
