import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import { MEMBERS_SK, messagePk } from '../keys/keys.js'
import { StaleIndexError } from '../errors/StaleIndexError.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { queryGroupRows } from './queryGroupRows.js'
import type { GroupUpdatePlan } from './planGroupUpdate.js'

/**
 * How Pattern D retries while the `message-group-sk-index` GSI lags behind the table: options of
 * {@link MessagingClient.updateMessageGroups} and {@link createStreamHandler}.
 *
 * @example
 * ```ts
 * // Up to 6 reads of the index, waiting 100, 200, 400, 800 and 1600 ms between them.
 * const options: SyncOptions = { maxAttempts: 6, baseDelayMs: 100 }
 * export const handler = createStreamHandler({ client, tableName, ...options })
 * ```
 */
export interface SyncOptions {
  /** Reads of the index before giving up with {@link StaleIndexError}: a whole number from 1 to 20. Default 5. */
  maxAttempts?: number
  /** First back-off between attempts, doubled each time, in milliseconds: 0 to 60 000. Default 50. */
  baseDelayMs?: number
}

/**
 * What one update of a conversation's rows wrote (Pattern D).
 *
 * @example
 * ```ts
 * const result: SyncResult = await messaging.updateMessageGroups(latest)
 * if (result.moved === 0) console.log('every row already showed this message or a newer one')
 * ```
 */
export interface SyncResult {
  /** Participants' rows moved to the new message. 0 when every row already showed it or a newer one. */
  moved: number
  /** Stale duplicate rows removed. */
  removed: number
}

/**
 * Reads a conversation's rows, asks `decide` what to write, and writes it in one transaction whose every item is
 * conditional: each delete must find its row, each put must find none. A failed condition or a conflict means the
 * index view was stale or another writer was first, so the rows are read and decided again.
 *
 * @throws {@link StaleIndexError} when the index still disagrees after `maxAttempts` reads; nothing was written.
 */
export async function syncGroupRows(
  store: StoreContext,
  messageGroupUuid: string,
  decide: (rows: StoredMessageGroupRow[]) => GroupUpdatePlan,
  options: SyncOptions = {}
): Promise<SyncResult> {
  const maxAttempts = options.maxAttempts ?? 5
  const baseDelayMs = options.baseDelayMs ?? 50
  let lastError: unknown
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0) await sleep(baseDelayMs * 2 ** (attempt - 1))
    const rows = await queryGroupRows(store, messageGroupUuid)
    if (await missesParticipants(store, messageGroupUuid, rows)) {
      lastError = new Error('the index shows fewer participants than the members item')
      continue
    }
    const plan = decide(rows)
    if (plan.puts.length === 0 && plan.deletes.length === 0) return { moved: 0, removed: 0 }
    try {
      await store.documentClient.send(new TransactWriteCommand({ TransactItems: transactItems(store.tableName, plan) }))
      return { moved: plan.puts.length, removed: plan.deletes.length - plan.puts.length }
    } catch (error) {
      if (!isRetryableCancellation(error)) throw error
      lastError = error
    }
  }
  throw new StaleIndexError(messageGroupUuid, { cause: lastError })
}

/** The transaction's writes: conditional deletes, then conditional puts. */
function transactItems(tableName: string, plan: GroupUpdatePlan) {
  return [
    ...plan.deletes.map((key) => ({
      Delete: { TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(pk)' }
    })),
    ...plan.puts.map((row) => ({
      Put: { TableName: tableName, Item: row, ConditionExpression: 'attribute_not_exists(pk)' }
    }))
  ]
}

/**
 * A conversation the index shows with fewer than two owners may be one the index has not caught up with. Only then
 * is the members item read (consistent), to tell a lagging index from a seeds-era conversation with one row.
 */
async function missesParticipants(
  store: StoreContext,
  messageGroupUuid: string,
  rows: readonly { pk: string }[]
): Promise<boolean> {
  const owners = new Set(rows.map((row) => row.pk))
  if (owners.size >= 2) return false
  const { Item } = await store.documentClient.send(
    new GetCommand({
      TableName: store.tableName,
      Key: { pk: messagePk(messageGroupUuid), sk: MEMBERS_SK },
      ConsistentRead: true,
      ProjectionExpression: 'members'
    })
  )
  const members = (Item?.members ?? []) as unknown[]
  return members.length > owners.size
}

/** A cancelled transaction with a failed condition or a conflict among its reasons: re-read and try again. */
function isRetryableCancellation(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict')
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
