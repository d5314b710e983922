import type { StoreContext } from '../../createStoreContext.js'
import { compare } from '../../keys/compare.js'
import { Validator } from '../../validation/validate.js'
import { forEachConversation } from '../maintenance/forEachConversation.js'
import type { MaintenanceResult } from '../maintenance/MaintenanceResult.js'
import { holdsConversation } from '../maintenance/holdsConversation.js'
import { maintenanceContext, type RunState } from '../maintenance/maintenanceContext.js'
import { scanTable } from '../maintenance/scanTable.js'
import { validateMaintenanceOptions, type MaintenanceOptions, type RunOptions } from '../maintenance/validateMaintenanceOptions.js'
import { findUserConversations } from './findUserConversations.js'
import { repairConversation } from './repairConversation.js'

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
   * `{ messageGroupUuid }` (its members' rows; a conversation the table holds nothing of counts as 0 conversations);
   * `{ userUuid }` (the user's own rows, those of non-members deleted, and the conversations whose other member's row
   * describes the user, which finds one whose row of theirs was deleted; a group's rows describe nobody, so a group whose
   * row of theirs was deleted is found only by the other scopes); or `'all'` (a Scan of the whole table: every
   * conversation, and every row of someone who is not a member).
   */
  scope: RepairScope
}

/**
 * What {@link repairTable} did, or would do with `dryRun`.
 *
 * @example
 * ```ts
 * const result: RepairTableResult = await repairTable({ client, scope: 'all' })
 * const { moved, corrected, recreated, removed } = result.rows
 * console.log(`${moved} moved, ${corrected} corrected in place, ${recreated} rebuilt, ${removed} rows of non-members deleted`)
 * for (const { messageGroupUuid, error } of result.failed) console.error(messageGroupUuid, error) // run it again
 * ```
 */
export interface RepairTableResult extends MaintenanceResult {
  /** Conversations examined: 0 for a `{ messageGroupUuid }` scope naming one the table holds nothing of. */
  conversations: number
  /**
   * Rows `moved` to the conversation's newest message, `corrected` in place (already there, with a wrong unread count,
   * read marker or preview), `recreated` for members who had none, `removed` for users who are not members.
   */
  rows: { moved: number; corrected: number; recreated: number; removed: number }
  /** Conversations with messages but no membership items: the table (or this part of it) is not adopted yet. */
  notAdopted: string[]
  /** Conversations with members but no message to bring their rows to: left as they are. */
  withoutMessages: string[]
}

/**
 * Brings conversation rows back in line with the messages and the members, on the layout of this version: for each
 * conversation in `scope`, each member's row goes to the conversation's newest message (read strongly consistently:
 * the source of truth) with its unread count recounted, through Pattern D's own planner and conditional updates, so
 * it never moves a row back and is safe while the stream handler runs; a member without a row gets one (only while
 * still a member); a row of someone who is not a member is deleted (only while still not one). Corrections in place
 * are counted too, and every owner whose list changed is reported (and, with a `cache`, marked stale there).
 *
 * Use it after a stream outage longer than the stream's 24-hour retention, for batches that went to the on-failure
 * queue (which holds only their positions, not the records), or after other code wrote rows. Idempotent: a second
 * run writes nothing. Throttled requests are retried with back-off. A table of an old layout is migrated by
 * {@link adoptTable}, not repaired: its conversations are reported in `notAdopted`.
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
  const store = maintenanceContext(run, state)
  const candidates = await findInScope(store, scope, run)
  const { done, failed } = await forEachConversation([...candidates.keys()], run, (id) =>
    repairConversation(store, id, candidates.get(id) ?? [], { dryRun: run.dryRun })
  )
  const rows = { moved: 0, corrected: 0, recreated: 0, removed: 0 }
  for (const repair of done) for (const kind of ['moved', 'corrected', 'recreated', 'removed'] as const) rows[kind] += repair.rows[kind]
  const changed = done.filter((repair) => repair.changedUsers.length > 0)
  const of = (outcome: string) => done.filter((repair) => repair.outcome === outcome).map((repair) => repair.messageGroupUuid)
  return {
    dryRun: run.dryRun,
    conversations: done.filter((repair) => repair.outcome !== 'not-found').length + failed.length,
    rows,
    notAdopted: of('not-adopted'),
    withoutMessages: of('no-messages'),
    failed,
    changed: {
      messageGroupUuids: changed.map((repair) => repair.messageGroupUuid),
      userUuids: [...new Set(changed.flatMap((repair) => repair.changedUsers))].sort(compare)
    },
    throttleRetries: state.throttleRetries
  }
}

/** The conversations a scope covers, each with the users whose rows of it to check for a membership. */
async function findInScope(store: StoreContext, scope: RepairScope, run: RunOptions): Promise<Map<string, string[]>> {
  if (typeof scope === 'object' && 'messageGroupUuid' in scope) return new Map([[scope.messageGroupUuid, []]])
  if (scope === 'all') {
    const { conversations } = await scanTable(store, run)
    return new Map([...conversations].filter(([, entry]) => holdsConversation(entry)).map(([id, entry]) => [id, entry.rowOwners]))
  }
  const find = { pageSize: run.pageSize, onPage: (done: number) => run.onProgress?.({ phase: 'find', done }) }
  const { messageGroupUuids, withRow } = await findUserConversations(store, scope.userUuid, find)
  return new Map(messageGroupUuids.map((id) => [id, withRow.has(id) ? [scope.userUuid] : []]))
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
