import { InvalidArgumentError } from 'commander'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// The library's handle rule: 1 to 64 of letters, digits, '_', '.', '-', not starting with '.' or '-'.
const HANDLE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/

/** Commander parser of a uuid argument, lower-cased as the library stores it. */
export function uuidArgument(value: string): string {
  if (!UUID.test(value)) throw new InvalidArgumentError('expected a UUID like 5ae290ed-55d1-47a0-bc6d-fe2bc2700399')
  return value.toLowerCase()
}

/** A user named on the command line: by uuid, or by handle (with or without a leading `@`). */
export type UserRef = { uuid: string } | { handle: string }

/** Commander parser of a `<user_uuid or handle>` argument. */
export function userArgument(value: string): UserRef {
  if (UUID.test(value)) return { uuid: value.toLowerCase() }
  const handle = value.startsWith('@') ? value.slice(1) : value
  if (HANDLE.test(handle)) return { handle }
  throw new InvalidArgumentError('expected a user uuid or a handle (letters, digits, _ . -)')
}
