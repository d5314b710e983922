import { Validator } from '../validation/validate.js'

/**
 * Checks {@link planGroupUpdate}'s arguments: an array of stored rows (objects with string `pk`, `sk` and
 * `message_group_uuid`) and a `{ messageGroupUuid, sortKey, message }` of strings.
 * @throws {@link ValidationError} (`rows_invalid`, `latest_invalid`) for anything else.
 */
export function validateGroupUpdateInput(rows: unknown, latest: unknown): void {
  const check = new Validator()
  if (!Array.isArray(rows) || !rows.every(isStoredRow)) check.invalid('rows', 'must be an array of stored conversation rows')
  if (!hasStrings(latest, ['messageGroupUuid', 'sortKey', 'message'])) {
    check.invalid('latest', 'must be a message: { messageGroupUuid, sortKey, message } of strings')
  }
  check.done()
}

const hasStrings = (value: unknown, names: readonly string[]): boolean =>
  typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'string')

const isStoredRow = (row: unknown): boolean => hasStrings(row, ['pk', 'sk', 'message_group_uuid'])
