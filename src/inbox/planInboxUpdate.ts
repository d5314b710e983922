import { compare } from '../keys/compare.js'
import { parseMessageGroupPk } from '../keys/keys.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { ValidationError } from '../errors/ValidationError.js'
import { isStoredRow } from '../table/isStoredRow.js'
import { isMessageRange } from './isMessageRange.js'
import { widen, type MessageRange, type MessageRangeBounds, type RangeMessage } from './messageRange.js'
import { applyRecipe, newestWithin, recipeBounds, rowRecipe } from './planRow.js'
import { participantReadState, readStateOf, storedReadState, type ParticipantReadState } from './readState.js'

/**
 * One conversation row's write: its key, the revision it was read at (the write is conditioned on it), and its new
 * last message and read state. An absent `last_read_sk` or `unread_owner_uuid` is removed.
 *
 * @example
 * ```ts
 * const update: RowUpdate = {
 *   pk: 'GRP#5ae2…', sk: 'MSG#0b1c…', rev: 7,
 *   set: { last_sk: latest.sortKey, message: 'Hi', last_read_sk: first.sortKey, unread_count: 1, unread_owner_uuid: '5ae2…' }
 * }
 * ```
 */
export interface RowUpdate {
  /** `GRP#<owner>`. */
  pk: string
  /** `MSG#<conversation>`. */
  sk: string
  /** The revision the row was read at: the write must find it unchanged. */
  rev: number
  /** The attributes to store; an optional one left out is removed. */
  set: RowState
}

/**
 * What Pattern D writes on a row: its last message (text, and for a group its sender) and its owner's read state.
 *
 * @example
 * ```ts
 * const state: RowState = { last_sk: latest.sortKey, message: 'Hi', unread_count: 0, last_read_sk: latest.sortKey }
 * ```
 */
export type RowState = Pick<
  StoredMessageGroupRow,
  'last_sk' | 'message' | 'sender_uuid' | 'sender_display_name' | 'sender_handle' | 'last_read_sk' | 'unread_count' | 'unread_owner_uuid'
>

/** The attributes of {@link RowState} that may be absent: a write that leaves one out removes it. */
export const OPTIONAL_ROW_ATTRIBUTES = ['message', 'sender_uuid', 'sender_display_name', 'sender_handle', 'last_read_sk', 'unread_owner_uuid'] as const

/**
 * What Pattern D knows about one conversation when it decides: its members' rows (read after the message was
 * stored), the messages being applied, and the messages read so far.
 *
 * @example
 * ```ts
 * const view: InboxView = { rows, latestSk: latest.sortKey, applied: [latest.sortKey], range }
 * ```
 */
export interface InboxView {
  /** The members' conversation rows, as stored. */
  rows: readonly StoredMessageGroupRow[]
  /** The newest message being applied: behind rows move to it. */
  latestSk: string
  /** Sort keys of every message being applied (a stream batch's records of this conversation), `latestSk` among them. */
  applied: readonly string[]
  /** The conversation's messages read for this decision, strongly consistently, after the rows. */
  range?: MessageRange
  /**
   * Trust no stored count: every row's unread messages are counted again from its marker (what `repair` asks for; a
   * row whose count is already right is still left out of the writes).
   */
  recount?: boolean
}

/**
 * Pattern D's decision for one conversation, returned by {@link planInboxUpdate}: the messages to read first, or the
 * writes and every member's read state once they are made.
 *
 * @example
 * ```ts
 * const plan: InboxPlan = planInboxUpdate(view)
 * if (plan.kind === 'read') view = { ...view, range: await readMessages(plan.bounds) }
 * else await Promise.all(plan.updates.map(writeConditioned))
 * ```
 */
export type InboxPlan =
  | { kind: 'read'; bounds: MessageRangeBounds }
  | { kind: 'write'; updates: RowUpdate[]; participants: ParticipantReadState[] }

/**
 * Pattern D's decision, pure: which rows to update, and to what, so that each member's row shows the newest message
 * applied (never an older one) with an exact unread count. A row at this message or a newer one is left alone unless a
 * message applied lies at or below it after its marker, which only a recount settles; a write that would store what
 * the row holds is left out, so repeating a decision writes nothing. The rows must all be of the one conversation
 * (applyStreamRecord leaves out others); rows not of the stored shape (no revision, an owner-less key) are ignored.
 *
 * @throws {@link ValidationError} (`view_invalid`) for a view that is not `{ rows, latestSk, applied, range? }`.
 *
 * @example
 * ```ts
 * let plan = planInboxUpdate({ rows, latestSk: latest.sortKey, applied: [latest.sortKey] })
 * if (plan.kind === 'read') plan = planInboxUpdate({ rows, latestSk, applied, range: await readMessages(plan.bounds) })
 * ```
 */
export function planInboxUpdate(view: InboxView): InboxPlan {
  if (!isInboxView(view)) {
    throw new ValidationError([{ path: 'view', code: 'view_invalid', message: 'must be { rows, latestSk, applied, range? } as Pattern D reads them' }])
  }
  const decided = view.rows.filter(isStoredRow).flatMap((row) => {
    const owner = parseMessageGroupPk(row.pk)
    if (owner === undefined || typeof row.last_sk !== 'string') return []
    const state = readStateOf(row)
    const position = { lastSk: row.last_sk, marker: state.marker, count: view.recount ? undefined : state.count }
    return [{ row, owner, recipe: rowRecipe(position, view.latestSk, view.applied) }]
  })
  const updates: RowUpdate[] = []
  const participants: ParticipantReadState[] = []
  let missing: MessageRangeBounds | undefined
  for (const { row, owner, recipe } of decided) {
    if (recipe.kind === 'keep') {
      participants.push(participantReadState(row))
      continue
    }
    // A row that moves shows the newest message it moves over, read now (never a stream record's copy of it).
    const preview = recipe.through !== row.last_sk ? { after: row.last_sk, through: recipe.through } : undefined
    const moved = preview && newestWithin(view.range, preview.after, preview.through)
    const next = applyRecipe(recipe, owner, view.range)
    if (!next || (preview && !moved && !fullyCovers(view.range, preview))) {
      for (const bounds of [recipeBounds(recipe), preview]) if (bounds) missing = widen(missing, bounds)
      continue
    }
    const set: RowState = { ...lastMessageOf(row, moved), ...storedReadState(owner, next) }
    participants.push(participantReadState({ pk: row.pk, ...set }))
    if (!sameRow(row, set)) updates.push({ pk: row.pk, sk: row.sk, rev: row.rev, set })
  }
  if (missing) return { kind: 'read', bounds: missing }
  return { kind: 'write', updates, participants: participants.sort((a, b) => compare(a.userUuid, b.userUuid)) }
}

const isInboxView = (view: unknown): view is InboxView =>
  typeof view === 'object' &&
  view !== null &&
  Array.isArray((view as InboxView).rows) &&
  typeof (view as InboxView).latestSk === 'string' &&
  Array.isArray((view as InboxView).applied) &&
  (view as InboxView).applied.every((sk) => typeof sk === 'string') &&
  ((view as InboxView).range === undefined || isMessageRange((view as InboxView).range))

const fullyCovers = (range: MessageRange | undefined, bounds: MessageRangeBounds): boolean =>
  range !== undefined &&
  compare(range.through, bounds.through) >= 0 &&
  (range.after === undefined || (bounds.after !== undefined && compare(range.after, bounds.after) <= 0))

/** The last message a row shows, with its sender: the one it moves to, or what it shows now. */
function lastMessageOf(row: StoredMessageGroupRow, moved: RangeMessage | undefined): Pick<RowState, 'last_sk' | 'message' | 'sender_uuid' | 'sender_display_name' | 'sender_handle'> {
  // A message stored without text (other code) shows as empty, as a row needs a preview.
  const shown = moved ? { ...moved, message: moved.message ?? '' } : { sk: row.last_sk, message: row.message, user_uuid: row.sender_uuid, user_display_name: row.sender_display_name, user_handle: row.sender_handle }
  return {
    last_sk: shown.sk,
    ...(shown.message !== undefined && { message: shown.message }),
    ...(shown.user_uuid !== undefined && { sender_uuid: shown.user_uuid }),
    ...(shown.user_display_name !== undefined && { sender_display_name: shown.user_display_name }),
    ...(shown.user_handle !== undefined && { sender_handle: shown.user_handle })
  }
}

const sameRow = (row: StoredMessageGroupRow, set: RowState): boolean =>
  row.last_sk === set.last_sk &&
  row.unread_count === set.unread_count &&
  OPTIONAL_ROW_ATTRIBUTES.every((name) => row[name] === set[name])
