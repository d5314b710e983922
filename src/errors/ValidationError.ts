import { MessagingError } from './MessagingError.js'

/**
 * One problem with an input: where it is, a stable code (Cruddur's style, e.g. `message_blank`) and a sentence.
 *
 * @example
 * ```ts
 * const issue: ValidationIssue = { path: 'message', code: 'message_blank', message: 'must not be blank' }
 * ```
 */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `sender.handle`. */
  readonly path: string
  /** Stable code, e.g. `message_blank`, `message_exceed_max_chars_1024`, `uuid_invalid`, `cursor_invalid`. */
  readonly code: string
  /** What is wrong, for people, e.g. `must not be blank`. */
  readonly message: string
}

/**
 * The input was rejected before anything was read or written. `issues` lists every problem found, not just the first.
 *
 * @example
 * ```ts
 * try {
 *   await messaging.createMessage({ messageGroupUuid, sender, message: '   ' })
 * } catch (error) {
 *   if (error instanceof ValidationError) console.log(error.issues.map((issue) => issue.code)) // ['message_blank']
 * }
 * ```
 */
export class ValidationError extends MessagingError {
  /** Every problem found in the input, in the order of its fields. */
  readonly issues: readonly ValidationIssue[]

  constructor(issues: readonly ValidationIssue[]) {
    super('VALIDATION', `Invalid input: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`)
    this.issues = issues
  }
}
