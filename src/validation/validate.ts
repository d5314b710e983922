import { ValidationError, type ValidationIssue } from '../errors/ValidationError.js'

/**
 * The seeds' limit on message text, in characters (Unicode code points), after trimming.
 *
 * @example
 * ```ts
 * const tooLong = [...text.trim()].length > MAX_MESSAGE_CHARS // createMessage would reject it
 * ```
 */
export const MAX_MESSAGE_CHARS = 1024
/** Longest display name, in characters (Unicode code points), after trimming. */
export const MAX_DISPLAY_NAME_CHARS = 128
/** Longest handle, in characters. */
export const MAX_HANDLE_CHARS = 64
/**
 * Largest `limit` of one page, for Patterns A and B.
 *
 * @example
 * ```ts
 * const page = await messaging.listMessages({ messageGroupUuid, limit: Math.min(requested, MAX_PAGE_SIZE) })
 * ```
 */
export const MAX_PAGE_SIZE = 100
/**
 * The `limit` of a page when none is given, for Patterns A and B.
 *
 * @example
 * ```ts
 * const page = await messaging.listMessages({ messageGroupUuid }) // at most DEFAULT_PAGE_SIZE (20) messages
 * ```
 */
export const DEFAULT_PAGE_SIZE = 20

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const HANDLE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/
// Control characters (C0, DEL, C1) never belong in a display name; newlines and tabs are allowed in messages.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const MESSAGE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/**
 * Collects every problem of one input, then throws them together: callers fix all fields in one round trip.
 * Each `check*` returns the cleaned value (trimmed, lower-cased uuid) to use when the input is valid.
 */
export class Validator {
  private readonly issues: ValidationIssue[] = []

  private add(path: string, code: string, message: string): void {
    this.issues.push({ path, code, message })
  }

  uuid(path: string, value: unknown): string {
    if (typeof value !== 'string' || !UUID.test(value)) {
      this.add(path, `${codeName(path)}_invalid`, 'must be a UUID like 5ae290ed-55d1-47a0-bc6d-fe2bc2700399')
      return ''
    }
    return value.toLowerCase()
  }

  handle(path: string, value: unknown): string {
    if (typeof value !== 'string' || value.length === 0) {
      this.add(path, `${codeName(path)}_blank`, 'must not be empty')
      return ''
    }
    if (value.length > MAX_HANDLE_CHARS || !HANDLE.test(value)) {
      this.add(
        path,
        `${codeName(path)}_invalid`,
        `must be 1 to ${MAX_HANDLE_CHARS} letters, digits, '_', '.' or '-', not starting with '.' or '-'`
      )
      return ''
    }
    return value
  }

  displayName(path: string, value: unknown): string {
    const text = typeof value === 'string' ? value.trim() : ''
    if (text.length === 0) {
      this.add(path, `${codeName(path)}_blank`, 'must not be empty')
    } else if ([...text].length > MAX_DISPLAY_NAME_CHARS) {
      this.add(path, `${codeName(path)}_exceed_max_chars_${MAX_DISPLAY_NAME_CHARS}`, `must be at most ${MAX_DISPLAY_NAME_CHARS} characters`)
    } else if (CONTROL.test(text)) {
      this.add(path, `${codeName(path)}_invalid`, 'must not contain control characters')
    }
    return text
  }

  messageText(path: string, value: unknown): string {
    if (typeof value !== 'string') {
      this.add(path, 'message_blank', 'must be a non-empty string')
      return ''
    }
    const text = value.trim()
    if (text.length === 0) {
      this.add(path, 'message_blank', 'must not be blank')
    } else if ([...text].length > MAX_MESSAGE_CHARS) {
      this.add(path, `message_exceed_max_chars_${MAX_MESSAGE_CHARS}`, `must be at most ${MAX_MESSAGE_CHARS} characters`)
    } else if (MESSAGE_CONTROL.test(text)) {
      this.add(path, 'message_invalid', 'must not contain control characters other than newline and tab')
    }
    return text
  }

  limit(path: string, value: unknown): number {
    if (value === undefined) return DEFAULT_PAGE_SIZE
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
      this.add(path, 'limit_invalid', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
      return DEFAULT_PAGE_SIZE
    }
    return value
  }

  object(path: string, value: unknown): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(path, `${codeName(path)}_missing`, 'must be an object')
      return {}
    }
    return value as Record<string, unknown>
  }

  fail(path: string, code: string, message: string): void {
    this.add(path, code, message)
  }

  /** Throws one {@link ValidationError} with every issue collected, if any. */
  done(): void {
    if (this.issues.length > 0) throw new ValidationError(this.issues)
  }
}

/** `sender.uuid` → `sender_uuid`: codes stay flat snake_case like Cruddur's. */
const codeName = (path: string): string => path.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/\./g, '_').toLowerCase()
