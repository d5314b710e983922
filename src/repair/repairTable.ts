import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import type { MessagingContext } from '../context.js'
import { Validator } from '../validation/validate.js'
import { holdsConversation } from './holdsConversation.js'
import { scanConversations, userConversations, type FindOptions, type FoundConversations } from './findConversations.js'
import { maintenanceContext, runRepairs, summarize, type RepairTableResult, type RunOptions, type RunState } from './runRepairs.js'
import { validateMaintenanceOptions, type MaintenanceOptions } from './validateMaintenanceOptions.js'

/**
 * Which conversations {@link repairTable} repairs: one, every conversation of one user, or all of them.
 *
 * @example
 * ```ts
 * const one: RepairScope = { messageGroupUuid: '5ae290ed-55d1-47a0-bc6d-fe2bc2700399' }
 * const hers: RepairScope = { userUuid: ada.uuid }
 * const everything: RepairScope = 'all'
 * ```
 */
export type RepairScope = { messageGroupUuid: string } | { userUuid: string } | 'all'

/**
 * Options of {@link repairTable}.
 *
 * @example
 * ```ts
 * const options: RepairTableOptions = { client, tableName: 'cruddur-messages', scope: { userUuid: ada.uuid }, dryRun: true }
 * ```
 */
export interface RepairTableOptions extends MaintenanceOptions {
  /**
   * `{ messageGroupUuid }` (a conversation the table holds nothing of, no message, members item or row, is not
   * repaired: the result counts 0 conversations); `{ userUuid }` (the user's own rows, and the rows of others that describe the user, so a
   * conversation whose row of this user was lost is found); or `'all'` (a Scan of the whole table, which also finds
   * conversations that lost every row).
   */
  scope: RepairScope
}

/**
 * Brings conversation rows back in line with the messages: for each conversation in `scope`, every participant's row
 * is moved to the conversation's newest message (read strongly consistently: the source of truth), duplicates are
 * removed and lost rows rebuilt, through Pattern D's own conditional transactions. So it never moves a row back, never
 * loses or doubles one, and is safe to run while the stream handler runs. The participants come from the members item
 * or, for conversations the bootcamp code wrote, from their rows and messages (each message names its sender), so it
 * rebuilds rows the stream handler can only report through `onLostRow`.
 *
 * Use it after a stream outage longer than the stream's 24-hour retention, for batches that went to the on-failure
 * queue (which holds only their positions, not the records), or on a table written by other code. Idempotent: a second
 * run writes nothing. Throttled requests are retried with back-off.
 *
 * @throws {@link ValidationError} on bad options.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { repairTable } from 'dynamo-messaging/admin'
 *
 * const result = await repairTable({ client: new DynamoDBClient({}), tableName: 'cruddur-messages', scope: 'all' })
 * console.log(result.rows, result.changed.userUuids)
 * ```
 */
export async function repairTable(options: RepairTableOptions): Promise<RepairTableResult> {
  const check = new Validator()
  const fields = check.object('options', options)
  const run = validateMaintenanceOptions(check, fields)
  const scope = validateScope(check, fields.scope)
  check.done()
  const state: RunState = { throttleRetries: 0 }
  const ctx = maintenanceContext(run, state)
  const ids = (await findInScope(ctx, scope, run)).messageGroupUuids
  const { repairs, failed } = await runRepairs(ctx, ids, { ...run, writeMembers: false }, state)
  return summarize(repairs, failed, { dryRun: run.dryRun, conversations: ids.length }, state)
}

/** The conversations a scope covers. */
export async function findInScope(ctx: MessagingContext, scope: RepairScope, run: RunOptions): Promise<FoundConversations> {
  if (typeof scope === 'object' && 'messageGroupUuid' in scope) {
    const held = await holdsConversation(ctx, scope.messageGroupUuid)
    return { messageGroupUuids: held ? [scope.messageGroupUuid] : [], pairLinks: new Set(), items: 0 }
  }
  const total = scope === 'all' ? await approximateItemCount(ctx) : undefined
  const find: FindOptions = {
    pageSize: run.pageSize,
    onPage: (done) => run.onProgress?.({ phase: 'find', done, ...(total !== undefined && { total }) })
  }
  return scope === 'all' ? scanConversations(ctx, find) : userConversations(ctx, scope.userUuid, find)
}

/** The table's item count as DynamoDB last computed it (about every six hours), for a progress bar; none if unreadable. */
async function approximateItemCount(ctx: MessagingContext): Promise<number | undefined> {
  try {
    const { Table } = await ctx.documentClient.send(new DescribeTableCommand({ TableName: ctx.tableName }))
    return Table?.ItemCount
  } catch {
    return undefined // no dynamodb:DescribeTable permission: the bar goes without a total
  }
}

function validateScope(check: Validator, scope: unknown): RepairScope {
  if (scope === 'all') return 'all'
  if (typeof scope === 'object' && scope !== null && !Array.isArray(scope)) {
    const fields = scope as Record<string, unknown>
    const keys = Object.keys(fields)
    if (keys.length === 1 && keys[0] === 'messageGroupUuid') return { messageGroupUuid: check.uuid('scope.messageGroupUuid', fields.messageGroupUuid) }
    if (keys.length === 1 && keys[0] === 'userUuid') return { userUuid: check.uuid('scope.userUuid', fields.userUuid) }
  }
  check.invalid('scope', "must be { messageGroupUuid }, { userUuid } or 'all'")
  return 'all'
}
