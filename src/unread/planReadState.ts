import { compare } from '../keys/compare.js'
import { tally, type MessageRange, type MessageRangeBounds } from './messageRange.js'
import type { CountedReadState, ReadState } from './readState.js'

/** One owner's row as Pattern D decides its read state: where it is, what it says, and what is being applied. */
export interface RowReadInput {
  /** The row's owner. */
  ownerUuid: string
  /** The row's sort key now. */
  rowSk: string
  /** Its read state now. */
  state: ReadState
  /** The message the row moves to when it is behind. */
  latestSk: string
  /** Sort keys of the messages being applied (the records of a stream batch); `latestSk` among them. */
  applied: readonly string[]
  /**
   * The count in `state` was not kept from `state.marker`: the marker was taken from another of the owner's rows (the
   * fold of duplicates keeps the newest marker among them), so the count is recounted from it.
   */
  foldedMarker?: boolean
}

/**
 * How a row's read state is brought up to date, before reading anything. Pure.
 *
 * - `recount`: from the marker `base`, over `(base, through]`: when a message being applied lies at or below the row
 *   (a repeat, or one whose write committed after a newer message's row move had read past its place), or when a
 *   legacy row moves (read up to its old `sk`), when the marker is ahead of the row, or when the marker was folded in
 *   from a duplicate row (`foldedMarker`).
 * - `increment`: the row moves and every message applied is above it: the old count plus the other participant's
 *   messages in `(rowSk, through]`, unless the owner's own message there moves the marker past `rowSk`.
 * - `keep`: nothing can change (the row does not move and nothing applied lies between its marker and its `sk`).
 */
export type ReadStateRecipe =
  | { kind: 'keep' }
  | { kind: 'recount'; base?: string; through: string }
  | { kind: 'increment'; marker?: string; count: number; rowSk: string; through: string }

export function readStateRecipe(input: RowReadInput): ReadStateRecipe {
  const { rowSk, state, latestSk } = input
  const behind = compare(rowSk, latestSk) < 0
  const through = behind ? latestSk : rowSk
  if (state.legacy) return behind ? { kind: 'recount', base: rowSk, through } : { kind: 'keep' }
  const marker = state.marker
  // A marker taken from a duplicate row: the survivor's count was kept from an older marker, so count afresh.
  if (input.foldedMarker) return { kind: 'recount', ...(marker !== undefined && { base: marker }), through }
  const above = (sk: string) => marker === undefined || compare(sk, marker) > 0
  // A message applied at or below the row and above the marker may have been missed by the read that moved the row
  // past it (its write committed after that read): only a recount from the marker can tell.
  if (input.applied.some((sk) => above(sk) && compare(sk, rowSk) <= 0)) return { kind: 'recount', ...(marker !== undefined && { base: marker }), through }
  if (!behind) return { kind: 'keep' }
  if (marker !== undefined && compare(marker, rowSk) > 0) return { kind: 'recount', base: marker, through }
  return { kind: 'increment', ...(marker !== undefined && { marker }), count: state.count, rowSk, through }
}

/** The messages a recipe needs, or undefined when it needs none. */
export function recipeBounds(recipe: ReadStateRecipe): MessageRangeBounds | undefined {
  switch (recipe.kind) {
    case 'keep':
      return undefined
    case 'recount':
      if (recipe.base !== undefined && compare(recipe.base, recipe.through) >= 0) return undefined // nothing after the marker
      return { ...(recipe.base !== undefined && { after: recipe.base }), through: recipe.through }
    case 'increment':
      return { after: recipe.rowSk, through: recipe.through }
  }
}

/**
 * The read state a recipe leads to, from a range holding at least {@link recipeBounds}: the owner's newest message
 * read moves the marker (sending marks read for the sender), and the count is the other participant's messages after
 * the marker. Pure.
 */
export function applyRecipe(
  recipe: Exclude<ReadStateRecipe, { kind: 'keep' }>,
  ownerUuid: string,
  range: MessageRange | undefined
): CountedReadState {
  const empty: MessageRange = { through: recipe.through, messages: [] }
  if (recipe.kind === 'recount') {
    const bounds = recipeBounds(recipe)
    const base = recipe.base
    if (!bounds) return { ...(base !== undefined && { marker: base }), count: 0 }
    const { newestOwn } = tally(range ?? empty, ownerUuid, bounds.after, recipe.through)
    const marker = newestOwn ?? base
    return { ...(marker !== undefined && { marker }), count: tally(range ?? empty, ownerUuid, marker, recipe.through).others.length }
  }
  const read = tally(range ?? empty, ownerUuid, recipe.rowSk, recipe.through)
  if (read.newestOwn !== undefined) {
    // The owner wrote after the row's old position: read up to there, so only what follows counts.
    return { marker: read.newestOwn, count: tally(range ?? empty, ownerUuid, read.newestOwn, recipe.through).others.length }
  }
  return { ...(recipe.marker !== undefined && { marker: recipe.marker }), count: recipe.count + read.others.length }
}

/**
 * `markRead`'s decision for one row, pure: nothing when `upTo` is not past the marker (never backwards; a repeat is a
 * no-op); otherwise a recount from `upTo` to the row's `sk`. A legacy row counts as read up to its own `sk`.
 */
export function markReadRecipe(rowSk: string, state: ReadState, upTo: string): ReadStateRecipe {
  const marker = state.legacy ? rowSk : state.marker
  if (marker !== undefined && compare(upTo, marker) <= 0) return { kind: 'keep' }
  return { kind: 'recount', base: upTo, through: rowSk }
}
