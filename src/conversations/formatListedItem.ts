import { DynamoDBToolboxError } from 'dynamodb-toolbox/errors'
import type { Entity, FormattedItem } from 'dynamodb-toolbox/entity'
import type { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format'
import { isRowKey } from '../cursor/cursor.js'
import { isMessageSortKey } from '../keys/keys.js'

/**
 * One raw item of a list (Pattern A or B), formatted by the toolbox's formatter of its entity, or the problem that
 * leaves it out: a sort key (`sk` of a message, `last_sk` of a row) that is not a message's, a row whose key is not
 * `MSG#<uuid>`, or an attribute missing or of the wrong type. Pure.
 */
export function formatListedItem<E extends Entity>(
  formatter: EntityFormatter<E>,
  item: Record<string, unknown>,
  sortKey: 'sk' | 'last_sk' = 'sk'
): { item: FormattedItem<E> } | { problem: string } {
  if (!isMessageSortKey(item[sortKey])) return { problem: `${sortKey} is not a message sort key` }
  // A row at a key of other code (`MSG#<not a uuid>`) names no conversation, and no cursor may start after it.
  if (sortKey === 'last_sk' && !isRowKey(item.sk)) return { problem: 'sk is not a conversation row key (MSG#<uuid>)' }
  try {
    return { item: formatter.format(item) as FormattedItem<E> }
  } catch (error) {
    if (!DynamoDBToolboxError.match(error, 'formatter.')) throw error
    // The toolbox's sentence (`Missing required attribute for formatting: 'user_display_name'.`) without the key it
    // appends: the caller reports the key itself.
    return { problem: error.message.split(' Partition key:', 1)[0]! }
  }
}
