/**
 * A write's mark in a user's version: the row it wrote (`sk`, `MSG#<conversation>`), the revision it left and that
 * row's last message. Pattern B is read from an index, which may not show a write yet; a page read after the version
 * was set is stored only if it shows every row the version names at that revision or a later one.
 */
export interface RowWatermark {
  readonly sk: string
  readonly rev: number
  readonly lastSk: string
}

/** A user's version value: a fresh token, when it was set (ms), and the rows the write left. */
export function encodeVersion(token: string, at: number, rows: readonly RowWatermark[]): string {
  return rows.length === 0 ? token : `${token}~${at}~${JSON.stringify(rows.map((row) => [row.sk, row.rev, row.lastSk]))}`
}

/** The time and rows a version names; none for a plain token (a conversation's, or a writer outside the library). */
export function decodeVersion(value: string): { at?: number; rows: RowWatermark[] } {
  const first = value.indexOf('~')
  const second = first < 0 ? -1 : value.indexOf('~', first + 1)
  if (second < 0) return { rows: [] }
  const at = value.slice(first + 1, second)
  const rows = value.slice(second + 1)
  try {
    const parsed: unknown = JSON.parse(rows)
    if (!Array.isArray(parsed)) return { rows: [] }
    return {
      at: Number(at),
      rows: parsed.flatMap((row) =>
        Array.isArray(row) && typeof row[0] === 'string' && typeof row[1] === 'number' && typeof row[2] === 'string'
          ? [{ sk: row[0], rev: row[1], lastSk: row[2] }]
          : []
      )
    }
  } catch {
    return { rows: [] }
  }
}
