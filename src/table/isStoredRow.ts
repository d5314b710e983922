import type { StoredMessageGroupRow } from './rows.js'

/**
 * Whether `row` has the attributes Pattern D decides and writes on: its key, its last message, and a revision to
 * condition the write on. A row other code wrote in another shape is left alone (`repair` rebuilds it); were it
 * planned, its write could never be made (no revision to condition on) and would fail its records again and again.
 */
export const isStoredRow = (row: unknown): row is StoredMessageGroupRow =>
  typeof row === 'object' &&
  row !== null &&
  typeof (row as StoredMessageGroupRow).pk === 'string' &&
  typeof (row as StoredMessageGroupRow).sk === 'string' &&
  typeof (row as StoredMessageGroupRow).last_sk === 'string' &&
  Number.isSafeInteger((row as StoredMessageGroupRow).rev)
