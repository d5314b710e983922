import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { forEachLimited } from '../concurrency/forEachLimited.js'
import type { MessagingContext } from '../context.js'
import { TableLayoutError } from '../errors/TableLayoutError.js'
import { membersOf } from '../patterns/readMembers.js'
import { findInScope } from '../repair/repairTable.js'
import {
  describe,
  maintenanceContext,
  runRepairs,
  summarize,
  type RepairTableResult,
  type RunOptions,
  type RunState
} from '../repair/runRepairs.js'
import { validateMaintenanceOptions, type MaintenanceOptions } from '../repair/validateMaintenanceOptions.js'
import { linkedGroupOf, pairLinkItem, readMembersSlot } from '../table/pairLink.js'
import { tableDefinition } from '../table/tableDefinition.js'
import { Validator } from '../validation/validate.js'
import { applyTableChanges, waitUntilActive, type ApplyOptions } from './applyTableChanges.js'
import { planPairLinks, type AdoptedConversation, type PairLinkPlan } from './planPairLinks.js'
import { planTableChanges } from './planTableChanges.js'
import { isConditionFailed } from '../transactions/isConditionFailed.js'

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
 * What {@link adoptTable} did, or would do with `dryRun`: the table changes, the members items and pair links, and
 * the rows (as {@link repairTable} reports them).
 *
 * @example
 * ```ts
 * const result: AdoptTableResult = await adoptTable({ client, tableName: 'cruddur-messages' })
 * if (result.table.streamEnabled) console.log('stream on: point the stream function at', result.table.streamArn)
 * console.log(`${result.membersWritten} members items, ${result.pairs.linked} pairs linked`)
 * ```
 */
export interface AdoptTableResult extends RepairTableResult {
  /** What was done (or would be) to the table itself. */
  table: {
    /** This run turned the stream on (`NEW_IMAGE`); in a dry run, it would. */
    streamEnabled: boolean
    /** The stream's ARN, for the stream function's event source mapping (absent in a dry run that would enable it). */
    streamArn?: string
    /** Indexes this run created (in a dry run, would create). */
    indexesCreated: string[]
  }
  /** Members items written for conversations that had none. */
  membersWritten: number
  /** The pair links: what `createMessageGroup` finds for each pair. */
  pairs: {
    /** Pair links written: `createMessageGroup` for these pairs now continues their conversation. */
    linked: number
    /** Pairs already linked (a previous run). */
    alreadyLinked: number
    /**
     * Pairs the library already started a conversation for (at their derived id) besides the adopted one: new
     * messages go there; the adopted conversation stays listed and readable.
     */
    startedByLibrary: number
    /** Pairs with more than one conversation (the bootcamp started a new one each time): linked to the newest. */
    withSeveralConversations: number
  }
}

/**
 * Takes a table the bootcamp's code made and filled (or any table of this layout) to a working deployment of this
 * library, in place:
 *
 * 1. checks the table against `tableDefinition()`: turns the stream on (`NEW_IMAGE`) if it has none and creates
 *    any missing index, or throws {@link TableLayoutError} saying exactly what is wrong (a key schema, a projection, a
 *    stream's view type) without changing anything;
 * 2. for every conversation (a Scan of the whole table): writes a members item when it has none, from the participants
 *    its rows and messages name (conditional put), and repairs its rows as {@link repairTable} does;
 * 3. links each pair to its conversation (a pair link in the members slot of `messageGroupUuidFor(a, b)`, conditional
 *    put), so `createMessageGroup` for the pair, either way round, continues it (`created: false`) instead of
 *    starting a second one.
 *
 * Idempotent and resumable: every write is conditional or a Pattern D move, so a second run writes nothing and a run
 * stopped half-way (killed, or out of retries) is finished by running it again. Reads in pages and works on a few
 * conversations at a time, retrying throttled requests with back-off, so a 5/5 provisioned table slows it down
 * rather than breaking it. A conversation that fails is reported in `failed` and the others go on.
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
 * console.log(preview.membersWritten, 'members items would be written')
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
  const ctx = maintenanceContext(run, state)
  const apply: ApplyOptions = { pollIntervalMs, waitTimeoutMs, onWait: (waited) => run.onProgress?.({ phase: 'table', done: waited }) }

  // 1. The table, decided from DescribeTable (once it is ACTIVE); nothing changes while anything is wrong.
  let { Table } = await ctx.documentClient.send(new DescribeTableCommand({ TableName: ctx.tableName }))
  let changes = planTableChanges(Table ?? {}, tableDefinition({ tableName: ctx.tableName }))
  if (changes.wait) {
    Table = await waitUntilActive(ctx, apply)
    changes = planTableChanges(Table, tableDefinition({ tableName: ctx.tableName }))
  }
  if (changes.problems.length > 0) throw new TableLayoutError(ctx.tableName, changes.problems)
  let streamArn = Table?.StreamSpecification?.StreamEnabled ? Table.LatestStreamArn : undefined
  if (!run.dryRun) {
    // The stream first: messages sent while the rest runs are then in the stream for the stream function.
    await applyTableChanges(ctx, changes, apply)
    if (changes.enableStream || changes.createIndexes.length > 0) streamArn = (await waitUntilActive(ctx, apply)).LatestStreamArn
  }

  // 2. Every conversation: members item, then its rows (the same code as `repair --all`).
  const found = await findInScope(ctx, 'all', run)
  const ids = found.messageGroupUuids
  const { repairs, failed } = await runRepairs(ctx, ids, { ...run, writeMembers: true }, state)

  // 3. Pair links, once every conversation's participants are known.
  const adopted: AdoptedConversation[] = repairs.flatMap((repair) =>
    repair.participants?.length === 2 && repair.newestSortKey
      ? [{ messageGroupUuid: repair.messageGroupUuid, participantUuids: [repair.participants[0]!.uuid, repair.participants[1]!.uuid] as const, newestSortKey: repair.newestSortKey }]
      : []
  )
  const { links: plans, startedByLibrary } = planPairLinks(adopted)
  const pairs = await writePairLinks(ctx, plans, found.pairLinks, run, failed)

  const summary = summarize(repairs, failed, { dryRun: run.dryRun, conversations: ids.length, extraChanged: pairs.changed }, state)
  return {
    ...summary,
    table: {
      streamEnabled: changes.enableStream,
      ...(streamArn !== undefined && { streamArn }),
      indexesCreated: changes.createIndexes.map((index) => index.IndexName!)
    },
    membersWritten: repairs.filter((repair) => repair.membersWritten).length,
    pairs: {
      linked: pairs.linked,
      alreadyLinked: pairs.alreadyLinked,
      startedByLibrary: startedByLibrary.length + pairs.startedByLibrary,
      withSeveralConversations: plans.filter((plan) => plan.conversations > 1).length
    }
  }
}

/**
 * Writes each pair link with a put conditioned on an empty slot. A slot already taken holds either a link (a previous
 * run: left as it is) or a members item (the library started the pair's conversation meanwhile: it stays the pair's).
 * `linked` are the slots the Scan saw holding a link: a second run writes and reads nothing for them.
 */
async function writePairLinks(
  ctx: MessagingContext,
  plans: readonly PairLinkPlan[],
  linked: ReadonlySet<string>,
  run: RunOptions,
  failed: RepairTableResult['failed']
): Promise<{ linked: number; alreadyLinked: number; startedByLibrary: number; changed: string[] }> {
  const result = { linked: 0, alreadyLinked: 0, startedByLibrary: 0, changed: [] as string[] }
  let done = 0
  await forEachLimited(plans, run.concurrency, async (plan) => {
    try {
      // A link the Scan saw costs nothing more. Otherwise a dry run reads the slot, and a real run tries the
      // conditional put, reading the slot only when it turns out to be taken.
      const outcome = linked.has(plan.pairGroupUuid)
        ? 'alreadyLinked'
        : run.dryRun
          ? slotOutcome(await readMembersSlot(ctx, plan.pairGroupUuid))
          : await putLink(ctx, plan)
      result[outcome]++
      if (outcome === 'linked' && !run.dryRun) result.changed.push(plan.linkedGroupUuid)
    } catch (error) {
      failed.push({ messageGroupUuid: plan.linkedGroupUuid, error: `pair link: ${describe(error)}` })
    }
    run.onProgress?.({ phase: 'pairs', done: ++done, total: plans.length })
  })
  return result
}

async function putLink(ctx: MessagingContext, plan: PairLinkPlan): Promise<'linked' | 'alreadyLinked' | 'startedByLibrary'> {
  try {
    await ctx.documentClient.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: pairLinkItem(plan.pairGroupUuid, plan.linkedGroupUuid),
        ConditionExpression: 'attribute_not_exists(pk)'
      })
    )
    return 'linked'
  } catch (error) {
    if (!isConditionFailed(error)) throw error
    // Taken: by a previous adopt (a link) or by createMessageGroup (members).
    return slotOutcome(await readMembersSlot(ctx, plan.pairGroupUuid))
  }
}

/** What a pair's members slot holding `slot` means for its link. */
function slotOutcome(slot: Record<string, unknown> | undefined): 'linked' | 'alreadyLinked' | 'startedByLibrary' {
  if (linkedGroupOf(slot) !== undefined) return 'alreadyLinked'
  return membersOf(slot) ? 'startedByLibrary' : 'linked'
}
