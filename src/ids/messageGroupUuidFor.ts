import { createHash } from 'node:crypto'
import { Validator } from '../validation/validate.js'

// Fixed namespace of this library's name-based (version 5) group uuids. Changing it would split every conversation.
const NAMESPACE = Buffer.from('3f6f1c2e8b2d4c7a9a51d0c4e2b7a913', 'hex')

/**
 * The uuid of the conversation between two users: a version 5 (name-based, SHA-1) uuid of the sorted pair, so it is
 * the same whoever starts it and a second "new conversation" finds the first instead of duplicating it. Both must be
 * uuids (any case): anything else is a {@link ValidationError} (`user_uuid_a_invalid`, `user_uuid_b_invalid`).
 *
 * @example
 * ```ts
 * messageGroupUuidFor(alice.uuid, bob.uuid) === messageGroupUuidFor(bob.uuid, alice.uuid) // true
 * ```
 */
export function messageGroupUuidFor(userUuidA: string, userUuidB: string): string {
  const check = new Validator()
  const [first, second] = [check.uuid('userUuidA', userUuidA), check.uuid('userUuidB', userUuidB)].sort()
  check.done()
  return nameUuid(`${first}:${second}`)
}

/**
 * The uuid of the group a creator starts with a client-chosen message id: the same for every retry of that start, so
 * a retry continues the group instead of starting a second one. Names of this form never equal a pair's.
 */
export const groupUuidFor = (creatorUuid: string, messageId: string): string => nameUuid(`group:${creatorUuid}:${messageId}`)

function nameUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name).digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50 // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80 // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
