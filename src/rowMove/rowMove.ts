/**
 * How Pattern D replaces a conversation row (its sort key is its last message's, so a move is a delete and a put):
 *
 * - `'transaction'` (the default): every delete, put and read-state update of the conversation in one
 *   `TransactWriteItems`. A reader never sees a participant with two rows or none. A lone message costs 12 WCU on AWS
 *   (two items moved, at 2 × per item), plus the index entries.
 * - `'ordered'`: the conditional puts of the new rows first, then the conditional deletes of the old ones, as plain
 *   requests (1 WCU per item): 4 WCU plus the index entries, the seeds' price. Between the two steps a participant has
 *   both rows (a page of `listMessageGroups` shows the newer one only); a delete whose condition fails is compensated
 *   (see docs/stream.md, "The ordered move").
 *
 * @example
 * ```ts
 * const rowMove: RowMove = 'ordered'
 * export const handler = createStreamHandler({ client, tableName, rowMove })
 * ```
 */
export type RowMove = 'transaction' | 'ordered'

/** The values {@link RowMove} takes, for validation. */
export const ROW_MOVES: readonly RowMove[] = ['transaction', 'ordered']
