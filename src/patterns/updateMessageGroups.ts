import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { MessagingContext } from '../context.js'
import { MEMBERS_SK, messagePk, timeOfSortKey } from '../keys/keys.js'
import { StaleIndexError } from '../errors/StaleIndexError.js'
import type { LatestMessage } from '../types.js'
import { Validator } from '../validation/validate.js'
import { queryGroupRows } from './queryGroupRows.js'
import { planGroupUpdate, type GroupUpdatePlan } from './planGroupUpdate.js'


/** Options of {@link updateMessageGroups}. */
export interface UpdateMessageGroupsOptions {
  /** Reads of the index before giving up with {@link StaleIndexError}. Default 5. */
  maxAttempts?: number
  /** First back-off between attempts, doubled each time, in milliseconds. Default 50. */
  baseDelayMs?: number
}

/** Result of {@link updateMessageGroups}. */
export interface UpdateMessageGroupsResult {
  /** Participants' rows moved to this message. 0 when every row already showed it or a newer one. */
  moved: number
  /** Stale duplicate rows removed. */
  removed: number
}

/**
 * Pattern D: moves every participant's conversation row to `latest`, if it is newer than what the row shows.
 *
 * A row's sort key is its last message's, so moving it means deleting the old row and putting a new one. Both
 * happen in one transaction, each conditional: the delete must find the row and the put must not find one. So a
 * row is never lost (the seeds deleted, then crashed before the put) and never doubled; a failed condition means
 * the index was stale or another writer got there first, and the conversation is read again and re-planned.
 * Safe to repeat and to run concurrently; never moves a row back to an older message.
 *
 * @throws {@link StaleIndexError} when the index still disagrees with the table after `maxAttempts` reads.
 */
export async function updateMessageGroups(
  ctx: MessagingContext,
  latest: LatestMessage,
  options: UpdateMessageGroupsOptions = {}
): Promise<UpdateMessageGroupsResult> {
  const check = new Validator()
  const fields = check.object('input', latest)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  if (typeof fields.sortKey !== 'string' || timeOfSortKey(fields.sortKey) === undefined) {
    check.fail('sortKey', 'sort_key_invalid', 'must be a message sort key such as Message.sortKey')
  }
  if (typeof fields.message !== 'string') check.fail('message', 'message_blank', 'must be a string')
  check.done()
  const target: LatestMessage = { messageGroupUuid, sortKey: latest.sortKey, message: latest.message }

  const maxAttempts = options.maxAttempts ?? 5
  const baseDelayMs = options.baseDelayMs ?? 50
  let lastError: unknown
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0) await sleep(baseDelayMs * 2 ** (attempt - 1))
    const rows = await queryGroupRows(ctx, messageGroupUuid)
    if (await missesParticipants(ctx, messageGroupUuid, rows)) {
      lastError = new Error('the index shows fewer participants than the members item')
      continue
    }
    const plan = planGroupUpdate(rows, target)
    if (plan.puts.length === 0 && plan.deletes.length === 0) return { moved: 0, removed: 0 }
    try {
      await ctx.documentClient.send(new TransactWriteCommand({ TransactItems: transactItems(ctx.tableName, plan) }))
      return { moved: plan.puts.length, removed: plan.deletes.length - plan.puts.length }
    } catch (error) {
      if (!isRetryableCancellation(error)) throw error
      lastError = error
    }
  }
  throw new StaleIndexError(messageGroupUuid, { cause: lastError })
}

/** The transaction's writes: conditional deletes, then conditional puts. */
export function transactItems(tableName: string, plan: GroupUpdatePlan) {
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
  ctx: MessagingContext,
  messageGroupUuid: string,
  rows: readonly { pk: string }[]
): Promise<boolean> {
  const owners = new Set(rows.map((row) => row.pk))
  if (owners.size >= 2) return false
  const { Item } = await ctx.documentClient.send(
    new GetCommand({
      TableName: ctx.tableName,
      Key: { pk: messagePk(messageGroupUuid), sk: MEMBERS_SK },
      ConsistentRead: true,
      ProjectionExpression: 'members'
    })
  )
  const members = (Item?.members ?? []) as unknown[]
  return members.length > owners.size
}

/** A cancelled transaction whose reasons are all a failed condition or a conflict: re-read and try again. */
function isRetryableCancellation(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict')
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
