import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { TableLayoutError } from '../../errors/TableLayoutError.js'
import { compare } from '../../keys/compare.js'
import { tableDefinition } from '../../table/tableDefinition.js'
import { Validator } from '../../validation/validate.js'
import { forEachConversation } from '../maintenance/forEachConversation.js'
import type { MaintenanceResult } from '../maintenance/MaintenanceResult.js'
import { holdsConversation } from '../maintenance/holdsConversation.js'
import { maintenanceContext, type RunState } from '../maintenance/maintenanceContext.js'
import { scanTable, type ConversationInventory } from '../maintenance/scanTable.js'
import { validateMaintenanceOptions, type MaintenanceOptions } from '../maintenance/validateMaintenanceOptions.js'
import { adoptPairLinks } from './adoptPairLinks.js'
import { applyTableChanges, waitUntilActive, type ApplyOptions } from './applyTableChanges.js'
import { migrateConversation } from './migrateConversation.js'
import { planTableChanges } from './planTableChanges.js'

/**
 * Options of {@link adoptTable}.
 *
 * @example
 * ```ts
 * const options: AdoptTableOptions = { client, tableName: 'cruddur-messages', dryRun: true, concurrency: 2 }
 * ```
 */
export interface AdoptTableOptions extends MaintenanceOptions {
  /** Longest wait for the table and a new index to become `ACTIVE`, in milliseconds: up to 24 h. Default 1 h. */
  waitTimeoutMs?: number
  /** Pause between checks while waiting, in milliseconds: 10 to 60 000. Default 5 000. */
  pollIntervalMs?: number
}

/**
 * What {@link adoptTable} did, or would do with `dryRun`.
 *
 * @example
 * ```ts
 * const result: AdoptTableResult = await adoptTable({ client, tableName: 'cruddur-messages' })
 * console.log(`${result.migrated} conversations migrated, ${result.written.rows} rows written, ${result.deleted.rows} old rows deleted`)
 * if (result.writtenAfterAdopt.items > 0) console.log('old-layout code still writes to this table:', result.writtenAfterAdopt.messageGroupUuids)
 * for (const { messageGroupUuid, error } of result.failed) console.error(messageGroupUuid, error) // run it again
 * ```
 */
export interface AdoptTableResult extends MaintenanceResult {
  /** What was done (or would be) to the table itself. */
  table: {
    /** This run turned the stream on (`NEW_IMAGE`); in a dry run, it would. */
    streamEnabled: boolean
    /** The stream's ARN, for the stream function's event source mapping (absent in a dry run that would enable it). */
    streamArn?: string
    /** Indexes this run created (in a dry run, would create). */
    indexesCreated: string[]
    /**
     * Indexes the library does not use (the old layouts' `message-group-sk-index`), left in place: delete them after
     * the cut-over, once nothing of the old layout reads them (docs/cli.md).
     */
    unusedIndexes: string[]
    /** What works but costs more than it needs to, and how to save it (an index projecting more than needed). */
    notes: string[]
  }
  /** Conversations in the table (pair links are not conversations). */
  conversations: number
  /** Conversations this run took to the new layout (or brought old-layout leftovers of into line). */
  migrated: number
  /** Items of the new layout written: conversation items, membership items, rows (one per member). */
  written: { conversations: number; memberships: number; rows: number }
  /** Items of the old layouts deleted: rows, and 0.2's `#MEMBERS` items. */
  deleted: { rows: number; membersItems: number }
  /** Rows of the new layout brought to a newer message by Pattern D after the migration (messages sent meanwhile). */
  updated: number
  /**
   * Old-layout items (rows, `#MEMBERS`) found in conversations an earlier adopt had migrated: written after it by code
   * still on the old layout (the bootcamp's app or stream function, this library's 0.2), or left by a run stopped
   * between two transactions of a very large conversation. This run deleted them (the dry run: would) and brought the
   * conversation's rows in line.
   */
  writtenAfterAdopt: { items: number; messageGroupUuids: string[] }
  /** The pair links: what `createMessageGroup` finds for each pair. */
  pairs: {
    /** Pair links written: `createMessageGroup` for these pairs now continues their conversation. */
    linked: number
    /** 0.2 pair links moved from `#MEMBERS` to `#CONVERSATION`, keeping their target. */
    moved: number
    /** Pairs already linked (a previous run). */
    alreadyLinked: number
    /** Pairs the library already started a conversation for (at their derived id): new messages go there. */
    startedByLibrary: number
    /** Pairs with more than one conversation (the bootcamp started a new one each time): linked to the newest. */
    withSeveralConversations: number
  }
  /**
   * Conversations left in the old layout because the table does not name both members (the recipient never wrote and
   * the row describing them is gone): write their two membership items by hand and run adopt again.
   */
  unresolved: Array<{ messageGroupUuid: string; reason: string }>
  /** Conversations with old rows but no message to rebuild them from: left as they are. */
  withoutMessages: string[]
}

/**
 * Migrates a table the bootcamp's code made, or one this library's 0.2 made, to the layout of this version, in place.
 * Messages are not touched.
 *
 * 1. **The table**, checked against `tableDefinition()`: the stream is turned on (`NEW_IMAGE`) and `inbox-index` and
 *    `unread-index` are created when missing (an `unread-index` of 0.2, projecting more, is kept). What exists but is
 *    wrong (a key schema, a projection that drops what a reader needs, a stream's view type) is a
 *    {@link TableLayoutError} before anything changes. `message-group-sk-index` is left in place and reported unused.
 * 2. **Every conversation** (one Scan of the table): its `#CONVERSATION` item (created at its oldest message), a
 *    `#MEMBER#` item per member (the members of 0.2's `#MEMBERS`, or for a bootcamp conversation those its rows and
 *    messages name), and one row per member at `GRP#<member>` / `MSG#<conversation>`, made from the newest stored
 *    message (never from an old row's preview) with the member's read state carried over (0.2's marker; a bootcamp
 *    row read up to its own message, or up to the newest when it names no stored message) and the unread count
 *    recounted (capped at 100); its old rows and `#MEMBERS` item deleted. One transaction per conversation, every item
 *    conditioned so that nothing is overwritten: a conversation is migrated whole or not at all.
 * 3. **Every pair**: 0.2's pair links move to `#CONVERSATION` of the pair's derived id; a pair without one gets one to
 *    its newest conversation, so `createMessageGroup` for the pair continues it.
 *
 * Idempotent and resumable: a second run writes nothing, and a run stopped anywhere is finished by running it again.
 * Old-layout rows written after a run (by code still on the old layout) are reported in `writtenAfterAdopt` by the
 * next, which brings them in line. Reads in pages and works on a few conversations at a time, retrying throttled
 * requests, so a 5/5 provisioned table slows it down rather than breaking it. With a `cache`, what each conversation's
 * migration changed is marked stale before it counts as done.
 *
 * @throws {@link TableLayoutError} when the table cannot be adopted as it is (nothing was changed).
 * @throws {@link ValidationError} on bad options.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { adoptTable } from 'dynamo-messaging/admin'
 *
 * const preview = await adoptTable({ client: new DynamoDBClient({}), tableName: 'cruddur-messages', dryRun: true })
 * console.log(preview.migrated, 'conversations would be migrated')
 * const result = await adoptTable({ client: new DynamoDBClient({}), tableName: 'cruddur-messages' })
 * ```
 */
export async function adoptTable(options: AdoptTableOptions): Promise<AdoptTableResult> {
  const check = new Validator()
  const fields = check.object('options', options)
  const run = validateMaintenanceOptions(check, fields)
  const waitTimeoutMs = check.integer('waitTimeoutMs', fields.waitTimeoutMs, { min: 0, max: 86_400_000 }) ?? 3_600_000
  const pollIntervalMs = check.integer('pollIntervalMs', fields.pollIntervalMs, { min: 10, max: 60_000 }) ?? 5_000
  check.done()
  const state: RunState = { throttleRetries: 0 }
  const store = maintenanceContext(run, state)
  const apply: ApplyOptions = { pollIntervalMs, waitTimeoutMs, onWait: (waited) => run.onProgress?.({ phase: 'table', done: waited }) }

  // 1. The table, decided from DescribeTable (once it is ACTIVE); nothing changes while anything is wrong.
  let { Table } = await store.documentClient.send(new DescribeTableCommand({ TableName: store.tableName }))
  let changes = planTableChanges(Table ?? {}, tableDefinition({ tableName: store.tableName }))
  if (changes.wait) {
    Table = await waitUntilActive(store, apply)
    changes = planTableChanges(Table, tableDefinition({ tableName: store.tableName }))
  }
  if (changes.problems.length > 0) throw new TableLayoutError(store.tableName, changes.problems)
  let streamArn = Table?.StreamSpecification?.StreamEnabled ? Table.LatestStreamArn : undefined
  if (!run.dryRun) {
    // The stream first: messages sent while the rest runs are then in the stream for the stream function.
    await applyTableChanges(store, changes, apply)
    if (changes.enableStream || changes.createIndexes.length > 0) streamArn = (await waitUntilActive(store, apply)).LatestStreamArn
  }

  // 2. Every conversation that holds anything of an old layout, or messages without the new layout's items.
  const inventory = await scanTable(store, run)
  const conversations = [...inventory.conversations].filter(([, entry]) => holdsConversation(entry))
  const ids = conversations.filter(([, entry]) => needsMigration(entry)).map(([id]) => id)
  const { done, failed } = await forEachConversation(ids, run, (id) =>
    migrateConversation(store, id, inventory.conversations.get(id)!, { dryRun: run.dryRun })
  )

  // 3. Pair links, once every conversation's members are known.
  const pairs = await adoptPairLinks(store, inventory.conversations, done, run, failed)

  const migrations = done.filter((migration) => migration.outcome === 'migrated')
  const written = { conversations: 0, memberships: 0, rows: 0 }
  const deleted = { rows: 0, membersItems: 0 }
  let updated = 0
  for (const migration of migrations) {
    written.conversations += migration.written.conversations
    written.memberships += migration.written.memberships
    written.rows += migration.written.rows
    deleted.rows += migration.deleted.rows
    deleted.membersItems += migration.deleted.membersItems
    updated += migration.updated
  }
  const late = migrations.filter((migration) => migration.late > 0)
  const { linked, moved, alreadyLinked, startedByLibrary, withSeveralConversations } = pairs
  return {
    dryRun: run.dryRun,
    table: {
      streamEnabled: changes.enableStream,
      ...(streamArn !== undefined && { streamArn }),
      indexesCreated: changes.createIndexes.map((index) => index.IndexName!),
      unusedIndexes: changes.unusedIndexes,
      notes: changes.notes
    },
    conversations: conversations.length,
    migrated: migrations.length,
    written,
    deleted,
    updated,
    writtenAfterAdopt: {
      items: late.reduce((total, migration) => total + migration.late, 0),
      messageGroupUuids: late.map((migration) => migration.messageGroupUuid)
    },
    pairs: { linked, moved, alreadyLinked, startedByLibrary, withSeveralConversations },
    unresolved: done.flatMap((migration) =>
      migration.outcome === 'unresolved' ? [{ messageGroupUuid: migration.messageGroupUuid, reason: migration.reason ?? 'unknown' }] : []
    ),
    withoutMessages: done.filter((migration) => migration.outcome === 'no-messages').map((migration) => migration.messageGroupUuid),
    failed: failed.sort((a, b) => compare(a.messageGroupUuid, b.messageGroupUuid)),
    changed: {
      messageGroupUuids: [...migrations.map((migration) => migration.messageGroupUuid), ...pairs.changed].sort(compare),
      userUuids: [...new Set(migrations.flatMap((migration) => migration.changedUsers))].sort(compare)
    },
    throttleRetries: state.throttleRetries
  }
}

/**
 * Whether a conversation holds anything of an old layout (a row or a `#MEMBERS` item), or messages without the new
 * layout's conversation and membership items (a bootcamp conversation that lost every row). One already migrated,
 * with nothing old left, costs no read beyond the scan.
 */
const needsMigration = (entry: ConversationInventory): boolean =>
  !entry.group &&
  (entry.legacyRows.length > 0 || entry.legacyMembers || (entry.newestSk !== undefined && (!entry.conversation || entry.members.length === 0)))
