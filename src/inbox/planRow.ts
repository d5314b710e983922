import { compare } from '../keys/compare.js'
import { tally, within, type MessageRange, type MessageRangeBounds } from './messageRange.js'
import { UNREAD_COUNT_CAP, type ReadState } from './readState.js'

/**
 * How one row's read state is brought up to date, decided before reading any message. Pure.
 *
 * - `increment`: the row moves to a newer message and nothing applied lies at or below it: the old count plus the
 *   others' messages in `(from, through]`, unless the owner wrote there (sending marks read).
 * - `recount`: from the marker `base` over `(base, through]`: a message being applied lies at or below the row and
 *   after the marker (a redelivery, or a message whose write committed after a newer one was applied: only a recount
 *   can tell whether it was counted), the marker is past the row (`markRead` up to a message the row did not show
 *   yet), or the stored count is not valid.
 * - `keep`: nothing can change.
 */
export type RowRecipe =
  | { kind: 'keep' }
  | { kind: 'recount'; base?: string; through: string }
  | { kind: 'increment'; marker?: string; count: number; from: string; through: string }

/** A row's position and read state, as a recipe is decided from them. */
export interface RowPosition extends ReadState {
  /** The row's last message (`last_sk`). */
  lastSk: string
}

export function rowRecipe(row: RowPosition, latestSk: string, applied: readonly string[]): RowRecipe {
  const { lastSk, marker, count } = row
  const behind = compare(lastSk, latestSk) < 0
  const through = behind ? latestSk : lastSk
  const recount: RowRecipe = marker === undefined ? { kind: 'recount', through } : { kind: 'recount', base: marker, through }
  const unread = (sk: string) => marker === undefined || compare(sk, marker) > 0
  if (count === undefined || applied.some((sk) => unread(sk) && compare(sk, lastSk) <= 0)) return recount
  if (!behind) return { kind: 'keep' }
  if (marker !== undefined && compare(marker, lastSk) > 0) return recount
  return marker === undefined ? { kind: 'increment', count, from: lastSk, through } : { kind: 'increment', marker, count, from: lastSk, through }
}

/** The messages a recipe needs, or undefined when it needs none. */
export function recipeBounds(recipe: RowRecipe): MessageRangeBounds | undefined {
  if (recipe.kind === 'keep') return undefined
  if (recipe.kind === 'increment') return { after: recipe.from, through: recipe.through }
  if (recipe.base !== undefined && compare(recipe.base, recipe.through) >= 0) return undefined // nothing after the marker
  return recipe.base === undefined ? { through: recipe.through } : { after: recipe.base, through: recipe.through }
}

/**
 * The read state a recipe leads to, or `undefined` when `range` does not hold enough to tell. An increment needs
 * every message of its bounds; a recount may stop short once it has counted the cap (what lies further down cannot
 * lower the count: own messages there have records of their own still to come, since a record moves the marker).
 * Pure.
 */
export function applyRecipe(
  recipe: Exclude<RowRecipe, { kind: 'keep' }>,
  ownerUuid: string,
  range: MessageRange | undefined
): { marker?: string; count: number } | undefined {
  const bounds = recipeBounds(recipe)
  if (!bounds) return withMarker(recipe.kind === 'recount' ? recipe.base : undefined, 0)
  if (!range || compare(range.through, bounds.through) < 0) return undefined
  const full = range.after === undefined || (bounds.after !== undefined && compare(range.after, bounds.after) <= 0)
  const read = tally(range, ownerUuid, full ? bounds.after : range.after, bounds.through)
  if (!full && (recipe.kind === 'increment' || (read.newestOwn === undefined && read.others < UNREAD_COUNT_CAP))) return undefined
  const capped = (count: number) => Math.min(count, UNREAD_COUNT_CAP)
  if (read.newestOwn !== undefined) {
    // The owner wrote here: read up to their newest message, so only what follows counts.
    return withMarker(read.newestOwn, capped(tally(range, ownerUuid, read.newestOwn, bounds.through).others))
  }
  if (recipe.kind === 'increment') return withMarker(recipe.marker, capped(recipe.count + read.others))
  return withMarker(recipe.base, capped(read.others))
}

// Optional fields by alternative literals, not by spreading `cond && { … }`: on Node 20 those spreads left V8's fast
// path and made each Pattern D decision about 5× slower (bench, section 4).
const withMarker = (marker: string | undefined, count: number) => (marker === undefined ? { count } : { marker, count })

/** The newest message of `range` in `(after, through]`: the one a row moving there shows. */
export function newestWithin(range: MessageRange | undefined, after: string, through: string) {
  let newest: MessageRange['messages'][number] | undefined
  for (const message of range?.messages ?? []) {
    if (within(message.sk, after, through) && (!newest || compare(message.sk, newest.sk) > 0)) newest = message
  }
  return newest
}
