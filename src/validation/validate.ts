import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { ValidationError, type ValidationIssue } from '../errors/ValidationError.js'
import { checkDisplayName, checkHandle, checkMessageText, type TextVerdict } from './text.js'

/**
 * The seeds' limit on message text, in characters (Unicode code points), after line breaks are normalised and the
 * text trimmed.
 *
 * @example
 * ```ts
 * const tooLong = [...text.trim()].length > MAX_MESSAGE_CHARS // createMessage would reject it
 * ```
 */
export const MAX_MESSAGE_CHARS = 1024
/**
 * Longest group title, in characters (Unicode code points), after line breaks are normalised and the text trimmed.
 *
 * @example
 * ```ts
 * const fits = [...title.trim()].length <= MAX_TITLE_CHARS
 * ```
 */
export const MAX_TITLE_CHARS = 100
/**
 * Most members a group may have.
 *
 * @example
 * ```ts
 * if (members.length + 1 > MAX_GROUP_MEMBERS) console.log('too many for one group')
 * ```
 */
export const MAX_GROUP_MEMBERS = 1000
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

/** A UUID, any case (stored lower-cased). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** A ULID: 26 characters of Crockford base 32, upper case; the first at most 7 (48 bits of time). */
export const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/
// DynamoDB's rule for table names.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/

/** An inclusive range of whole numbers an option may take. */
export interface IntegerRange {
  readonly min: number
  readonly max: number
}

/**
 * Collects every problem of one input, then throws them together: callers fix all fields in one round trip.
 * Each check returns the cleaned value (trimmed, lower-cased uuid) to use when the input is valid, and `undefined`
 * for an optional value that was not given, so the caller's documented default applies.
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

  /**
   * An optional ULID chosen by a client (a message id): `undefined` when not given; any case is accepted and the
   * upper-case form returned, as ULIDs are case-insensitive. Anything else is `<path>_invalid`.
   */
  ulid(path: string, value: unknown): string | undefined {
    if (value === undefined) return undefined
    const upper = typeof value === 'string' ? value.toUpperCase() : undefined
    if (upper === undefined || !ULID.test(upper)) {
      this.add(path, `${codeName(path)}_invalid`, 'must be a ULID: 26 characters of Crockford base 32, e.g. 01KAR1Z1X8Y3VQ7D0N4W6TJ2HF')
      return undefined
    }
    return upper
  }

  handle(path: string, value: unknown): string {
    return this.text(path, codeName(path), typeof value === 'string' ? checkHandle(value, { maxChars: MAX_HANDLE_CHARS }) : BLANK)
  }

  displayName(path: string, value: unknown): string {
    const verdict = typeof value === 'string' ? checkDisplayName(value, { maxChars: MAX_DISPLAY_NAME_CHARS }) : BLANK
    return this.text(path, codeName(path), verdict, MAX_DISPLAY_NAME_CHARS)
  }

  /** A group's title: the rules of message text, 1 to {@link MAX_TITLE_CHARS} characters. */
  title(path: string, value: unknown): string {
    const verdict = typeof value === 'string' ? checkMessageText(value, { maxChars: MAX_TITLE_CHARS }) : BLANK
    return this.text(path, codeName(path), verdict, MAX_TITLE_CHARS)
  }

  messageText(path: string, value: unknown): string {
    const verdict = typeof value === 'string' ? checkMessageText(value, { maxChars: MAX_MESSAGE_CHARS }) : BLANK
    return this.text(path, 'message', verdict, MAX_MESSAGE_CHARS)
  }

  /** `<code>_blank`, `<code>_invalid` or `<code>_exceed_max_chars_<max>` for a refused text; the text otherwise. */
  private text(path: string, code: string, verdict: TextVerdict, maxChars?: number): string {
    if (verdict.ok) return verdict.text
    const suffix = verdict.problem === 'too_long' ? `exceed_max_chars_${maxChars}` : verdict.problem
    this.add(path, `${code}_${suffix}`, verdict.reason)
    return ''
  }

  limit(path: string, value: unknown): number {
    return this.integer(path, value, { min: 1, max: MAX_PAGE_SIZE }) ?? DEFAULT_PAGE_SIZE
  }

  /**
   * An optional whole number in `range`: `undefined` when not given (the caller's default applies); NaN, Infinity,
   * a fraction, a string or anything out of range is `<path>_invalid`, never silently replaced by the default.
   */
  integer(path: string, value: unknown, range: IntegerRange): number | undefined {
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      const bounds = range.max === Number.MAX_SAFE_INTEGER ? `of at least ${range.min}` : `from ${range.min} to ${range.max}`
      this.add(path, `${codeName(path)}_invalid`, `must be a whole number ${bounds}`)
      return undefined
    }
    return value
  }

  /** An optional function (a clock, an id source, a callback). */
  callback<F extends (...args: never[]) => unknown>(path: string, value: unknown): F | undefined {
    if (value === undefined) return undefined
    if (typeof value !== 'function') {
      this.add(path, `${codeName(path)}_invalid`, 'must be a function')
      return undefined
    }
    return value as F
  }

  /** An optional switch: `true` or `false` (not a truthy string such as `'false'`). */
  boolean(path: string, value: unknown): boolean | undefined {
    if (value === undefined) return undefined
    if (typeof value !== 'boolean') {
      this.add(path, `${codeName(path)}_invalid`, 'must be true or false')
      return undefined
    }
    return value
  }

  /** An optional value out of a fixed list, such as `billing`. */
  oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined
    if (!allowed.includes(value as T)) {
      this.add(path, `${codeName(path)}_invalid`, `must be one of ${allowed.map((item) => `'${item}'`).join(', ')}`)
      return undefined
    }
    return value as T
  }

  /** An optional DynamoDB table name: 3 to 255 letters, digits, `_`, `-` or `.`. */
  tableName(path: string, value: unknown): string | undefined {
    if (value === undefined) return undefined
    if (typeof value !== 'string' || !TABLE_NAME.test(value)) {
      this.add(path, `${codeName(path)}_invalid`, "must be a DynamoDB table name: 3 to 255 letters, digits, '_', '-' or '.'")
      return undefined
    }
    return value
  }

  /** A `DynamoDBClient` or `DynamoDBDocumentClient` (anything with the SDK client's `send` and `config`). */
  client(path: string, value: unknown): DynamoDBClient | DynamoDBDocumentClient | undefined {
    const clientLike =
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { send?: unknown }).send === 'function' &&
      typeof (value as { config?: unknown }).config === 'object'
    if (!clientLike) {
      this.add(path, `${codeName(path)}_invalid`, 'must be a DynamoDBClient or a DynamoDBDocumentClient')
      return undefined
    }
    return value as DynamoDBClient | DynamoDBDocumentClient
  }

  /** An `http:` or `https:` URL, such as DynamoDB Local's `http://127.0.0.1:8000`. */
  endpoint(path: string, value: unknown): string {
    let url: URL | undefined
    try {
      url = typeof value === 'string' ? new URL(value) : undefined
    } catch {
      url = undefined
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      this.add(path, `${codeName(path)}_invalid`, 'must be an http(s) URL such as http://127.0.0.1:8000')
      return ''
    }
    return value as string
  }

  /** An optional valid `Date`. */
  date(path: string, value: unknown): Date | undefined {
    if (value === undefined) return undefined
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      this.add(path, `${codeName(path)}_invalid`, 'must be a valid Date')
      return undefined
    }
    return value
  }

  object(path: string, value: unknown): Record<string, unknown> {
    if (!isPlainObject(value)) {
      this.add(path, `${codeName(path)}_missing`, 'must be an object')
      return {}
    }
    return value
  }

  /** Options that may be left out: `undefined` is `{}`, anything else must be an object. */
  options(path: string, value: unknown): Record<string, unknown> {
    return value === undefined ? {} : this.object(path, value)
  }

  /** Reports `<path>_invalid` for a rule of the caller's own. */
  invalid(path: string, message: string): void {
    this.add(path, `${codeName(path)}_invalid`, message)
  }

  fail(path: string, code: string, message: string): void {
    this.add(path, code, message)
  }

  /** Throws one {@link ValidationError} with every issue collected, if any. */
  done(): void {
    if (this.issues.length > 0) throw new ValidationError(this.issues)
  }
}

const BLANK: TextVerdict = { ok: false, problem: 'blank', reason: 'must be a non-empty string' }

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `sender.uuid` → `sender_uuid`: codes stay flat snake_case like Cruddur's. */
// A list's positions stay in the path, not in the code: `members.3.uuid` is `members_uuid_invalid`.
const codeName = (path: string): string =>
  path
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('_')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
