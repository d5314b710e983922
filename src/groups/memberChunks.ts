/** DynamoDB's limit of items per `TransactWriteItems`. */
const TRANSACTION_ITEMS = 100

/**
 * Members per transaction when adding them: two items each (membership and row), plus the member count's update and
 * the actor's role check, within DynamoDB's 100 items: 49.
 */
export const MEMBERS_PER_TRANSACTION = Math.floor((TRANSACTION_ITEMS - 2) / 2)

/** The items one transaction of `members` new members holds, with the count's update and, `checked`, a role check. */
export const addTransactionItems = (members: number, checked: boolean): number => 2 * members + 1 + (checked ? 1 : 0)

/** `members` in order, in chunks of at most {@link MEMBERS_PER_TRANSACTION}: one transaction each. */
export function memberChunks<T>(members: readonly T[]): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < members.length; start += MEMBERS_PER_TRANSACTION) chunks.push(members.slice(start, start + MEMBERS_PER_TRANSACTION))
  return chunks
}
