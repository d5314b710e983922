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

/** A group member named on the command line: in full (`uuid:handle:Display Name`), or by handle. */
export type ParticipantRef = { uuid: string; handle: string; displayName: string } | { handle: string }

/**
 * Commander parser of a `<member>` argument: `uuid:handle:Display Name` (the name may hold colons), or a handle to
 * look up. A bare uuid is refused: a group member needs a handle and a display name, which the table may not hold.
 */
export function participantArgument(value: string): ParticipantRef {
  const [uuid, handle, ...name] = value.split(':')
  if (name.length > 0 && uuid && UUID.test(uuid) && handle && HANDLE.test(handle) && name.join(':').trim() !== '') {
    return { uuid: uuid.toLowerCase(), handle, displayName: name.join(':') }
  }
  const user = name.length === 0 && !value.includes(':') ? userArgument(value) : undefined
  if (user && 'handle' in user) return user
  throw new InvalidArgumentError('expected a handle, or uuid:handle:Display Name')
}

/** Commander parser of a repeated or variadic `<member>`: collects each into the list. */
export const participantsArgument = (value: string, previous: ParticipantRef[] = []): ParticipantRef[] => [...previous, participantArgument(value)]
