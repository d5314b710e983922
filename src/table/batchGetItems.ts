import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'
import { backOff } from '../retry/backOff.js'

/** BatchGetItem's limit of keys per request. */
const KEYS_PER_REQUEST = 100

/**
 * The items at `keys` that exist, by BatchGetItem: 100 keys a request, unprocessed keys sent again after a back-off.
 * Eventually consistent unless `consistent` (half the read units).
 */
export async function batchGetItems<T = Record<string, unknown>>(
  store: StoreContext,
  keys: ReadonlyArray<{ pk: string; sk: string }>,
  consistent = false
): Promise<T[]> {
  const items: T[] = []
  for (let start = 0; start < keys.length; start += KEYS_PER_REQUEST) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + KEYS_PER_REQUEST)
    for (let retry = 0; pending && pending.length > 0; retry++) {
      if (retry > 0) await backOff(retry, 50, Math.random, 2_000)
      const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await store.documentClient.send(
        new BatchGetCommand({ RequestItems: { [store.tableName]: { Keys: pending, ConsistentRead: consistent } } })
      )
      items.push(...((Responses?.[store.tableName] ?? []) as T[]))
      pending = UnprocessedKeys?.[store.tableName]?.Keys
    }
  }
  return items
}
