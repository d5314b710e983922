import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { forEachLimited } from '../concurrency/forEachLimited.js'
import type { StoreContext } from '../createStoreContext.js'
import { ConcurrentUpdateError } from '../errors/ConcurrentUpdateError.js'
import { compare } from '../keys/compare.js'
import { parseMessageGroupPk, rowKey } from '../keys/keys.js'
import { backOff } from '../retry/backOff.js'
import { readConversation } from '../table/readMembers.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { decideInboxUpdate } from './decideInboxUpdate.js'
import type { InboxPlan, InboxView, RowUpdate } from './planInboxUpdate.js'
import type { ParticipantReadState } from './readState.js'
import { readRows } from './readRows.js'
import { writeRowUpdate } from './writeRowUpdate.js'

/** Row writes of one conversation in flight at once: a 1,000-member group is 1,000 UpdateItems. */
const WRITES_IN_FLIGHT = 16

/**
 * Options of one Pattern D update: how often to decide again when rows changed under it.
 *
 * @example
 * ```ts
 * const options: InboxUpdateOptions = { maxAttempts: 8, baseDelayMs: 20 }
 * export const handler = createStreamHandler({ client, tableName, ...options })
 * ```
 */
export interface InboxUpdateOptions {
  /**
   * Decisions per conversation: when a row changed between its read and its write (a `markRead`, a concurrent update,
   * a stale read), it is read again, strongly consistently, and decided again, up to this many times in all: a whole
   * number from 1 to 20. Default 5.
   */
  maxAttempts?: number
  /** First back-off between attempts, doubled each time, in milliseconds: 0 to 60 000. Default 20. */
  baseDelayMs?: number
}

/**
 * What one Pattern D update of a conversation did.
 *
 * @example
 * ```ts
 * const result: InboxUpdateResult = await messaging.updateMessageGroups(latest)
 * if (result.updated === 0) console.log('every row already showed this message or a newer one')
 * ```
 */
export interface InboxUpdateResult {
  /** Rows written (each one UpdateItem). 0 when every row was current. */
  updated: number
  /** Each member with a row: their unread count and read marker as this update left them, by user uuid. */
  participants: ParticipantReadState[]
  /**
   * The members whose rows show this message or a newer one, with the revision and last message of each row as this
   * update saw or wrote it: whose conversation lists a cache must refresh.
   */
  owners: Array<{ userUuid: string; rev: number; lastSk: string }>
  /** Members without a row (written by other code, or a row deleted by hand): `repair` rebuilds them. */
  missing: string[]
  /** `true` when the conversation has no members (none exists, or a table not adopted yet): nothing was done. */
  unknown: boolean
}

/**
 * Pattern D for one conversation: reads its members (one consistent Query), their rows (BatchGetItem), and the
 * messages the decision needs (consistent, newest first), lets {@link planInboxUpdate} decide, and writes each row
 * that changes with one conditional UpdateItem. A row whose condition fails is read again and decided again.
 *
 * @throws {@link ConcurrentUpdateError} when rows kept changing through `maxAttempts` decisions; rows already written
 *   stay written (each write is whole and conditional), and a repeat finishes the rest.
 */
export async function updateInbox(
  store: StoreContext,
  latest: { messageGroupUuid: string; sortKey: string },
  applied: readonly string[],
  options: InboxUpdateOptions & {
    dryRun?: boolean
    /** Only these members' rows (members just added, brought to a message that raced their join). */
    owners?: readonly string[]
    /** Recount every row's unread messages instead of trusting stored counts (`repair`). */
    recount?: boolean
    /** Told of each row written (in a dry run, of each planned), with the row as it was read. */
    onWrite?: (update: RowUpdate, before: StoredMessageGroupRow) => void
  } = {}
): Promise<InboxUpdateResult> {
  const { messageGroupUuid } = latest
  // `owners`: only these members' rows (members just added, brought to a message that raced their join).
  const owners = options.owners ?? (await readConversation(store, messageGroupUuid)).members.map((member) => member.uuid)
  if (owners.length === 0) return { updated: 0, participants: [], owners: [], missing: [], unknown: true }
  const rows = new Map<string, StoredMessageGroupRow>()
  const take = (found: StoredMessageGroupRow[]) => found.forEach((row) => rows.set(row.pk, row))
  take(await readRows(store, messageGroupUuid, owners))
  // Not seen by the eventually consistent read: a row created a moment ago, or none at all.
  const unseen = owners.filter((owner) => !rows.has(rowKey(owner, messageGroupUuid).pk))
  if (unseen.length > 0) take(await readRows(store, messageGroupUuid, unseen, true))

  let updated = 0
  const maxAttempts = options.maxAttempts ?? 5
  for (let attempt = 1; ; attempt++) {
    const view: InboxView = { rows: [...rows.values()], latestSk: latest.sortKey, applied, ...(options.recount && { recount: true }) }
    const plan = await decideInboxUpdate(store, messageGroupUuid, view)
    if (options.dryRun) {
      for (const update of plan.updates) options.onWrite?.(update, rows.get(update.pk)!)
      return result(plan.updates.length, plan, rows, owners)
    }
    const changed: string[] = []
    await forEachLimited(plan.updates, WRITES_IN_FLIGHT, async (update) => {
      const rev = await writeRowUpdate(store, update)
      if (rev === undefined) return void changed.push(update.pk)
      const before = rows.get(update.pk)!
      options.onWrite?.(update, before)
      const { last_read_sk: _marker, unread_owner_uuid: _owner, ...rest } = before
      rows.set(update.pk, { ...rest, ...update.set, rev })
      updated++
    })
    if (changed.length === 0) return result(updated, plan, rows, owners)
    if (attempt >= maxAttempts) throw new ConcurrentUpdateError(messageGroupUuid, changed.length)
    await backOff(attempt, options.baseDelayMs ?? 20, Math.random)
    for (const pk of changed) {
      const { Item } = await store.documentClient.send(new GetCommand({ TableName: store.tableName, Key: { pk, sk: rows.get(pk)!.sk }, ConsistentRead: true }))
      if (Item) rows.set(pk, Item as StoredMessageGroupRow)
      else rows.delete(pk) // its member left meanwhile: the row is gone for good
    }
  }
}


function result(
  updated: number,
  plan: Extract<InboxPlan, { kind: 'write' }>,
  rows: Map<string, StoredMessageGroupRow>,
  members: readonly string[]
): InboxUpdateResult {
  const owners = [...rows.values()].map((row) => ({ userUuid: parseMessageGroupPk(row.pk)!, rev: row.rev, lastSk: row.last_sk }))
  const withRow = new Set(owners.map((owner) => owner.userUuid))
  return {
    updated,
    participants: plan.participants,
    owners: owners.sort((a, b) => compare(a.userUuid, b.userUuid)),
    missing: members.filter((member) => !withRow.has(member)),
    unknown: false
  }
}
