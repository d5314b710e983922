import type { StoreContext } from '../createStoreContext.js'
import { rowKey } from '../keys/keys.js'
import { batchGetItems } from '../table/batchGetItems.js'
import type { StoredMessageGroupRow } from '../table/rows.js'

/**
 * The rows of `owners` in one conversation, by key. Read eventually consistently by default: every write is
 * conditioned on the revision read, so a stale read only costs a failed condition and a consistent read of that row,
 * while a consistent read of every row would cost twice as much.
 */
export const readRows = (store: StoreContext, messageGroupUuid: string, owners: readonly string[], consistent = false) =>
  batchGetItems<StoredMessageGroupRow>(store, owners.map((owner) => rowKey(owner, messageGroupUuid)), consistent)
