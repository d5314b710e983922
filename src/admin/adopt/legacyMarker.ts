import { compare } from '../../keys/compare.js'
import { isMessageSortKey } from '../../keys/keys.js'
import type { LegacyRow } from '../maintenance/legacyLayout.js'

/**
 * How far a member had read, from their rows of the old layouts, for the row `adopt` makes them (pure). Per row:
 * 0.2's `last_read_sk` when it has one; a 0.2 row with a count and no marker was never read; a bootcamp row (neither)
 * is taken as read up to its own message when that is a stored message (`isStored`), else up to `newestSk` (the
 * bootcamp seed's filler rows are dated after every message). The member's newest of these wins (several rows: the
 * bootcamp's stream function left duplicates); no row at all (lost): read up to `newestSk`. `undefined`: never read.
 *
 * @param isStored whether a sort key is one of the conversation's stored messages
 */
export function legacyMarker(rows: readonly LegacyRow[], isStored: (sk: string) => boolean, newestSk: string): string | undefined {
  if (rows.length === 0) return newestSk
  let marker: string | undefined
  for (const row of rows) {
    const read = readUpTo(row, isStored, newestSk)
    if (read !== undefined && (marker === undefined || compare(read, marker) > 0)) marker = read
  }
  return marker
}

function readUpTo(row: LegacyRow, isStored: (sk: string) => boolean, newestSk: string): string | undefined {
  if (isMessageSortKey(row.last_read_sk)) return row.last_read_sk as string
  if (typeof row.unread_count === 'number') return undefined // 0.2: never read
  return isStored(row.sk) ? row.sk : newestSk
}

