import { MessagingError } from './MessagingError.js'

/**
 * The table has no index this call reads: a table made by version 0.1.0 or by the bootcamp's `schema-load` has no
 * `unread-index`, which {@link MessagingClient.countUnread} reads. Everything else works on such a table. Add the
 * index once (its `UpdateTable` is in docs/data-model.md, or run `npx dynamo-messaging adopt`); DynamoDB fills it
 * from the rows already there. Also thrown while a newly added index is still being built (backfilling).
 *
 * @example
 * ```ts
 * try {
 *   const badge = await messaging.countUnread({ userUuid })
 * } catch (error) {
 *   if (error instanceof MissingIndexError) console.error(error.message) // names the table and the index to add
 *   throw error
 * }
 * ```
 */
export class MissingIndexError extends MessagingError {
  /** The table that lacks the index. */
  readonly tableName: string
  /** The index to add, e.g. `unread-index`. */
  readonly indexName: string

  constructor(tableName: string, indexName: string, options?: { cause?: unknown; building?: boolean }) {
    super(
      'MISSING_INDEX',
      options?.building
        ? `Index ${indexName} of table ${tableName} is still being built; it can be read once DescribeTable shows it ACTIVE.`
        : `Table ${tableName} has no index ${indexName}. Add it once: run \`npx dynamo-messaging adopt\`, or UpdateTable ` +
          `with the index from tableDefinition() (see docs/data-model.md, "Adding unread-index to an existing table").`,
      options
    )
    this.tableName = tableName
    this.indexName = indexName
  }
}
