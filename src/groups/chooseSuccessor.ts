import { compare } from '../keys/compare.js'
import type { StoredMember } from '../table/readMembers.js'

/**
 * Who owns a group after its owner leaves: the longest-standing admin, else the longest-standing member; "longest
 * standing" is the earliest `joinedAt`, then the smaller uuid (members a group started with joined at the same
 * moment). `undefined` when nobody else is left. Pure: the caller reads the members.
 */
export function chooseSuccessor(members: readonly StoredMember[], leavingUuid: string): StoredMember | undefined {
  const rank = (member: StoredMember) => (member.role === 'admin' ? 0 : 1)
  return members
    .filter((member) => member.uuid !== leavingUuid)
    .sort((a, b) => rank(a) - rank(b) || compare(a.joinedAt, b.joinedAt) || compare(a.uuid, b.uuid))[0]
}
