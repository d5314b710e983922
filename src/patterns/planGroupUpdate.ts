import type { StoredMessageGroupRow } from '../table/rows.js'
import type { LatestMessage } from '../types.js'
import { compare } from '../keys/compare.js'
import { parseMessageGroupPk } from '../keys/keys.js'
import { covers, widen, type MessageRange, type MessageRangeBounds } from '../unread/messageRange.js'
import { applyRecipe, readStateRecipe, recipeBounds, type ReadStateRecipe } from '../unread/planReadState.js'
import { foldedReadState } from '../unread/foldedReadState.js'
import { storedReadState, type StoredReadState } from '../unread/readState.js'
import { Validator } from '../validation/validate.js'
import { newestRow } from './newestRow.js'
import { validateGroupUpdateInput } from './validateGroupUpdateInput.js'

export { compare }

/**
 * The writes that bring one conversation's rows to its latest message. Empty when nothing is to be done.
 *
 * @example
 * ```ts
 * const plan: GroupUpdatePlan = planGroupUpdate(rows, latest, { range })
 * const TransactItems = [
 *   ...plan.deletes.map((Key) => ({ Delete: { TableName, Key, ConditionExpression: 'attribute_exists(pk)' } })),
 *   ...plan.puts.map((Item) => ({ Put: { TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } }))
 *   // …and plan.updates, each an UpdateItem of the read state (see docs/stream.md)
 * ]
 * ```
 */
export interface GroupUpdatePlan {
  /** Rows to delete; each delete must find its row (else the view was stale). */
  deletes: Array<{ pk: string; sk: string }>
  /** Rows to create; each must not exist yet (else the view was stale). */
  puts: StoredMessageGroupRow[]
  /**
   * Rows that stay at their message but whose read state changes (a repeated or late message recounted). Present only
   * when there are some; only with `counting`.
   */
  updates?: ReadStateUpdate[]
}

/**
 * A change of one row's read state in place: its key and the attributes to set (an absent `last_read_sk` or
 * `unread_owner_uuid` is removed).
 *
 * @example
 * ```ts
 * const update: ReadStateUpdate = { pk: 'GRP#…', sk: row.sk, readState: { last_read_sk: row.sk, unread_count: 0 } }
 * ```
 */
export interface ReadStateUpdate {
  /** The row's partition key, `GRP#<owner>`. */
  pk: string
  /** The row's sort key: it stays where it is. */
  sk: string
  /** The read state to store. */
  readState: StoredReadState
}

/**
 * What Pattern D counts unread messages from: the messages read for it and the ones being applied. Pass it to
 * {@link planGroupUpdate} (or {@link applyStreamRecord}) to keep each row's `unread_count` and `last_read_sk`.
 *
 * @example
 * ```ts
 * const bounds = messageRangeToRead(rows, latest)
 * const counting: GroupCounting = { ...(bounds && { range: await readMessages(bounds) }) }
 * const plan = planGroupUpdate(rows, latest, counting)
 * ```
 */
export interface GroupCounting {
  /**
   * The conversation's messages within at least the bounds {@link messageRangeToRead} returned, read strongly
   * consistently AFTER the rows. Omit it only when those bounds were undefined.
   */
  range?: MessageRange
  /** Sort keys of the messages being applied (a stream batch's records of the conversation). Default `[latest.sortKey]`. */
  applied?: readonly string[]
}

/**
 * Pattern D's decision, pure: given the current rows of a conversation and its latest message, which rows to delete
 * and which to put so that every participant has exactly one row, at the newest message.
 *
 * - Newer wins: a participant whose row is at this message or a newer one is left alone, so a replayed or late
 *   record never moves a conversation back.
 * - A participant with several rows (duplicates the seeds' stream function left, a torn ordered move, two movers
 *   crossing) keeps only the newest, with the newest read marker among them (never backwards) and, with `counting`,
 *   its count recounted from that marker.
 * - With `counting`, each row's unread count and read marker are kept exact (see docs/data-model.md): a moved row
 *   carries its new state, and a row whose count a repeated or late message changes is in `updates`. Without it, a
 *   moved row is written without them (it reads as 0 unread until Pattern D moves it with a count again).
 * - Anything but an array of stored rows and a message's `{ messageGroupUuid, sortKey, message }` is a
 *   `ValidationError`, and so is a `counting.range` that does not hold what {@link messageRangeToRead} asks for.
 *
 * @example
 * ```ts
 * const plan = planGroupUpdate(rowsFromTheIndex, { messageGroupUuid, sortKey: message.sortKey, message: message.message })
 * // plan.deletes: the old rows; plan.puts: the same rows at the new sort key with the new text
 * ```
 */
export function planGroupUpdate(
  rows: readonly StoredMessageGroupRow[],
  latest: LatestMessage,
  counting?: GroupCounting
): GroupUpdatePlan {
  validateGroupUpdateInput(rows, latest)
  const applied = counting === undefined ? undefined : validateCounting(counting, latest)
  const plan: GroupUpdatePlan = { deletes: [], puts: [] }
  const updates: ReadStateUpdate[] = []
  for (const owned of rowsByOwner(rows, latest).values()) {
    const newest = newestRow(owned)
    const behind = compare(newest.sk, latest.sortKey) < 0
    const recipe = applied ? ownerRecipe(owned, newest, latest, applied) : undefined
    const state = recipe && recipe.kind !== 'keep' ? countedState(recipe, newest, counting?.range) : undefined
    if (behind) {
      const moved = { ...withoutReadState(newest), sk: latest.sortKey, message: latest.message }
      plan.puts.push(state ? Object.assign(moved, state) : moved)
    } else if (state && !sameState(newest, state)) {
      updates.push({ pk: newest.pk, sk: newest.sk, readState: state })
    }
    // Delete every other row of this owner (once per key, even if a view repeats a row); the newest too if behind.
    if (owned.length === 1) {
      if (behind) plan.deletes.push({ pk: newest.pk, sk: newest.sk })
      continue
    }
    const deleted = new Set<string>()
    for (const row of owned) {
      if ((row.sk === newest.sk && !behind) || deleted.has(row.sk)) continue
      deleted.add(row.sk)
      plan.deletes.push({ pk: row.pk, sk: row.sk })
    }
  }
  return updates.length > 0 ? { ...plan, updates } : plan
}

/**
 * Which messages Pattern D must read to keep the counts of `rows` exact when applying `latest` (and the other
 * `applied` messages): one range for the whole conversation, or undefined when no count can change. Read them with a
 * strongly consistent Query of `MSG#<group>` projecting `sk, user_uuid`, after reading the rows. Pure.
 *
 * @example
 * ```ts
 * const bounds = messageRangeToRead(rows, latest)
 * // e.g. { after: '2026-01-01T00:00:00.000Z#01…', through: latest.sortKey }: the messages since the rows' old position
 * ```
 */
export function messageRangeToRead(
  rows: readonly StoredMessageGroupRow[],
  latest: LatestMessage,
  applied?: readonly string[]
): MessageRangeBounds | undefined {
  // Checked before `latest` is read: a default of `[latest.sortKey]` threw a TypeError for an undefined `latest`.
  validateGroupUpdateInput(rows, latest)
  const appliedKeys = applied ?? [latest.sortKey]
  let bounds: MessageRangeBounds | undefined
  for (const owned of rowsByOwner(rows, latest).values()) {
    const need = recipeBounds(ownerRecipe(owned, newestRow(owned), latest, appliedKeys))
    if (need) bounds = widen(bounds, need)
  }
  return bounds
}

function rowsByOwner(rows: readonly StoredMessageGroupRow[], latest: LatestMessage): Map<string, StoredMessageGroupRow[]> {
  const byOwner = new Map<string, StoredMessageGroupRow[]>()
  for (const row of rows) {
    if (row.message_group_uuid !== latest.messageGroupUuid) continue
    const owned = byOwner.get(row.pk)
    if (owned) owned.push(row)
    else byOwner.set(row.pk, [row])
  }
  return byOwner
}

/** The recipe of the row that survives for one owner: the newest, with the newest read marker of all their rows. */
function ownerRecipe(
  owned: readonly StoredMessageGroupRow[],
  row: StoredMessageGroupRow,
  latest: LatestMessage,
  applied: readonly string[]
): ReadStateRecipe {
  const { state, foldedMarker } = foldedReadState(owned, row)
  return readStateRecipe({ ownerUuid: ownerOf(row), rowSk: row.sk, state, latestSk: latest.sortKey, applied, foldedMarker })
}

const ownerOf = (row: StoredMessageGroupRow): string => parseMessageGroupPk(row.pk) ?? row.pk

function countedState(recipe: Exclude<ReadStateRecipe, { kind: 'keep' }>, row: StoredMessageGroupRow, range: MessageRange | undefined): StoredReadState {
  const need = recipeBounds(recipe)
  if (need && !(range && covers(range, need))) {
    const check = new Validator()
    check.fail('counting.range', 'counting_invalid', `must hold the messages after ${need.after ?? 'the first'} through ${need.through}`)
    check.done()
  }
  return storedReadState(ownerOf(row), applyRecipe(recipe, ownerOf(row), range))
}

const sameState = (row: StoredMessageGroupRow, state: StoredReadState): boolean =>
  row.unread_count === state.unread_count &&
  row.last_read_sk === state.last_read_sk &&
  row.unread_owner_uuid === state.unread_owner_uuid

/** The row without its read state (destructured, not `delete`d: a deleted property slows every later access). */
function withoutReadState(row: StoredMessageGroupRow): StoredMessageGroupRow {
  if (row.last_read_sk === undefined && row.unread_count === undefined && row.unread_owner_uuid === undefined) return row
  const { last_read_sk: _marker, unread_count: _count, unread_owner_uuid: _owner, ...rest } = row
  return rest
}

/** The applied sort keys, checked: strings, `latest.sortKey` among them. */
function validateCounting(counting: GroupCounting, latest: LatestMessage): readonly string[] {
  const check = new Validator()
  const fields = check.object('counting', counting)
  const applied = fields.applied
  if (applied !== undefined && !(Array.isArray(applied) && applied.every((sk) => typeof sk === 'string'))) {
    check.fail('counting.applied', 'counting_invalid', 'must be an array of sort keys')
  }
  const range = fields.range as Partial<MessageRange> | undefined
  const rangeOk =
    range === undefined ||
    (typeof range === 'object' &&
      range !== null &&
      typeof range.through === 'string' &&
      (range.after === undefined || typeof range.after === 'string') &&
      Array.isArray(range.messages) &&
      range.messages.every((m) => typeof m === 'object' && m !== null && typeof m.sk === 'string'))
  if (!rangeOk) check.fail('counting.range', 'counting_invalid', 'must be { after?, through, messages: [{ sk, user_uuid? }] }')
  check.done()
  return [...((applied as string[] | undefined) ?? []), latest.sortKey]
}
