import { compare } from '../keys/compare.js'

/** The row with the greatest sort key: an owner's current row, when the bootcamp code left duplicates. */
export function newestRow<T extends { sk: string }>(rows: readonly T[]): T {
  let newest = rows[0]!
  for (const row of rows) if (compare(row.sk, newest.sk) > 0) newest = row
  return newest
}
