import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../../createStoreContext.js'
import type { TransactItem } from '../maintenance/TransactItem.js'

/** DynamoDB's limit of items per `TransactWriteItems`. */
export const TRANSACTION_LIMIT = 100

/**
 * Writes `items` in as few transactions as DynamoDB allows, in order: one when they are at most 100, so a
 * conversation's migration is all or nothing. A larger one (a conversation the bootcamp's stream function left with
 * dozens of duplicate rows) goes 100 at a time: the first holds every creation and commits the migration whole; the
 * later ones only delete old rows, and a run stopped between them leaves old rows that the new layout never reads and
 * that the next run deletes. Each transaction is one request: a cancellation is thrown for the caller to read.
 */
export async function transactInChunks(store: StoreContext, items: readonly TransactItem[]): Promise<number> {
  let transactions = 0
  for (let start = 0; start < items.length; start += TRANSACTION_LIMIT) {
    await store.documentClient.send(new TransactWriteCommand({ TransactItems: items.slice(start, start + TRANSACTION_LIMIT) }))
    transactions++
  }
  return transactions
}
