import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'
import { rowKey } from '../keys/keys.js'
import { backOff } from '../retry/backOff.js'
import type { StoredMessageGroupRow } from '../table/rows.js'

/** BatchGetItem's limit of keys per request. */
const KEYS_PER_REQUEST = 100

/**
 * The rows of `owners` in one conversation, by BatchGetItem (100 keys a request, unprocessed keys sent again). Read
 * eventually consistently by default: every write is conditioned on the revision read, so a stale read only costs a
 * failed condition and a consistent read of that row, while a consistent read of every row would cost twice as much.
 */
export async function readRows(
  store: StoreContext,
  messageGroupUuid: string,
  owners: readonly string[],
  consistent = false
): Promise<StoredMessageGroupRow[]> {
  const rows: StoredMessageGroupRow[] = []
  for (let start = 0; start < owners.length; start += KEYS_PER_REQUEST) {
    let keys: Record<string, unknown>[] | undefined = owners.slice(start, start + KEYS_PER_REQUEST).map((owner) => rowKey(owner, messageGroupUuid))
    for (let retry = 0; keys && keys.length > 0; retry++) {
      if (retry > 0) await backOff(retry, 50, Math.random, 2_000)
      const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await store.documentClient.send(
        new BatchGetCommand({ RequestItems: { [store.tableName]: { Keys: keys, ConsistentRead: consistent } } })
      )
      rows.push(...((Responses?.[store.tableName] ?? []) as StoredMessageGroupRow[]))
      keys = UnprocessedKeys?.[store.tableName]?.Keys
    }
  }
  return rows
}
