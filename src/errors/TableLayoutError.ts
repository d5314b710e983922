import { MessagingError } from './MessagingError.js'

/**
 * The table differs from the layout the library needs in a way that cannot be changed in place (a key schema, an
 * index's key or projection, a stream's view type). Thrown by `adoptTable` (`dynamo-messaging/admin`) before it
 * changes anything; `problems` says what is wrong and how to fix each.
 *
 * @example
 * ```ts
 * try {
 *   await adoptTable({ client, tableName: 'cruddur-messages' })
 * } catch (error) {
 *   if (error instanceof TableLayoutError) for (const problem of error.problems) console.error(problem)
 *   else throw error
 * }
 * ```
 */
export class TableLayoutError extends MessagingError {
  /** Each problem, with what to do about it. */
  readonly problems: string[]

  constructor(tableName: string, problems: string[]) {
    super('TABLE_LAYOUT', `table ${tableName} cannot be adopted as it is: ${problems.join('; ')}`)
    this.problems = problems
  }
}
