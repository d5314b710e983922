import { compare } from '../keys/compare.js'
import { readStateOf, type ReadState } from './readState.js'

/**
 * The read state an owner's surviving row starts from when Pattern D folds the owner's rows of one conversation (a
 * torn ordered move, two movers crossing, the bootcamp's duplicates): the newest row's, with the newest read marker
 * among all of them, so a `markRead` that landed on an older row is never lost. `foldedMarker` says the marker came from
 * another row: the newest row's count was kept from an older marker and must be recounted. A legacy newest row (read up
 * to its own `sk`) stays as it is. Pure.
 */
export function foldedReadState(
  owned: ReadonlyArray<{ sk: string; last_read_sk?: unknown; unread_count?: unknown }>,
  newest: { last_read_sk?: unknown; unread_count?: unknown }
): { state: ReadState; foldedMarker: boolean } {
  const state = readStateOf(newest)
  if (state.legacy || owned.length < 2) return { state, foldedMarker: false }
  let marker = state.marker
  for (const row of owned) {
    const other = readStateOf(row)
    if (!other.legacy && other.marker !== undefined && (marker === undefined || compare(other.marker, marker) > 0)) marker = other.marker
  }
  if (marker === state.marker) return { state, foldedMarker: false }
  return { state: { ...state, ...(marker !== undefined && { marker }) }, foldedMarker: true }
}
