import { createHash } from 'node:crypto'
import { ValidationError } from '../errors/ValidationError.js'
import { isMessageSortKey } from '../keys/keys.js'

/**
 * Cursors are opaque to callers: `<base64url JSON>.<check>`. The check binds the cursor to the query that made it
 * (table, pattern, partition), so a cursor from another conversation, user or table is rejected rather than paging
 * through someone else's data. It is a checksum, not a signature: anyone can forge a cursor for a query they may
 * already run, which reveals nothing they could not page to themselves.
 */
export interface CursorScope {
  table: string
  /** `A` for messages of a conversation, `B` for a user's conversations, `M` for a conversation's members. */
  pattern: 'A' | 'B' | 'M'
  /** The partition key the query reads. */
  pk: string
}

/**
 * Where the next page starts: a message sort key (Pattern A's `sk`, Pattern B's `last_sk`) and, for Pattern B, the
 * key of the row there (`MSG#<conversation>`), since rows of two conversations can share a last message time.
 */
export interface CursorPosition {
  sk: string
  row?: string
}

/**
 * Encodes where the next page starts.
 *
 * @example
 * ```ts
 * const cursor = encodeCursor({ table: 'cruddur-messages', pattern: 'A', pk: 'MSG#…' }, { sk: '2026-01-01T00:00:00.000Z#01K…' })
 * ```
 */
export const encodeCursor = (scope: CursorScope, position: CursorPosition): string => {
  const payload = Buffer.from(JSON.stringify({ v: 2, ...position }), 'utf8').toString('base64url')
  return `${payload}.${check(scope, payload)}`
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same scope, holding only keys the query can return (a message
 * sort key and, for Pattern B, a conversation's `MSG#` key); anything else is a {@link ValidationError}.
 *
 * @example
 * ```ts
 * decodeCursor(scope, cursor) // { sk: '2026-01-01T00:00:00.000Z#01K…' }
 * ```
 */
export const decodeCursor = (scope: CursorScope, cursor: unknown, path = 'cursor'): CursorPosition => {
  const invalid = (): never => {
    throw new ValidationError([
      { path, code: 'cursor_invalid', message: 'is not a cursor returned by this query; start again without one' }
    ])
  }
  if (typeof cursor !== 'string' || cursor.length > 2048) return invalid()
  const [payload, mac, ...rest] = cursor.split('.')
  if (!payload || !mac || rest.length > 0 || check(scope, payload) !== mac) return invalid()
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    if (typeof parsed === 'object' && parsed !== null && 'v' in parsed && parsed.v === 2 && 'sk' in parsed) {
      const { sk } = parsed
      const row = 'row' in parsed ? parsed.row : undefined
      // Only keys the query can return: anything else (`#CONVERSATION`, a space) would make DynamoDB refuse the query.
      const rowOk = scope.pattern === 'B' ? isRowKey(row) : row === undefined
      const skOk = scope.pattern === 'M' ? typeof sk === 'string' && /^#MEMBER#[0-9a-f-]{36}$/.test(sk) : isMessageSortKey(sk)
      if (typeof sk === 'string' && skOk && rowOk) return { sk, ...(typeof row === 'string' && { row }) }
    }
  } catch {
    // fall through: garbage is invalid like anything else
  }
  return invalid()
}

/** Whether `sk` is a conversation row's sort key as this library writes it (`MSG#<lower-case uuid>`): the only row a Pattern B cursor may name. */
export const isRowKey = (sk: unknown): boolean => typeof sk === 'string' && /^MSG#[0-9a-f-]{36}$/.test(sk)

const check = (scope: CursorScope, payload: string): string =>
  createHash('sha256')
    .update(`dynamo-messaging/cursor/v2\n${scope.table}\n${scope.pattern}\n${scope.pk}\n${payload}`)
    .digest('base64url')
    .slice(0, 22)
