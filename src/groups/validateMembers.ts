import { validateParticipant } from '../conversations/validateParticipant.js'
import type { Participant } from '../types.js'
import { MAX_GROUP_MEMBERS, type Validator } from '../validation/validate.js'

/**
 * Checks a list of members to add into `check`: an array of at least one participant, each once, none of them
 * `creatorUuid` (who counts toward the 1,000 too). Returns the cleaned participants.
 */
export function validateMembers(check: Validator, value: unknown, creatorUuid?: string): Participant[] {
  if (!Array.isArray(value) || value.length === 0) {
    check.fail('members', 'members_invalid', `must be a non-empty array of participants${creatorUuid ? ' besides the creator' : ''}`)
    return []
  }
  const room = MAX_GROUP_MEMBERS - (creatorUuid ? 1 : 0)
  if (value.length > room) check.fail('members', 'members_too_many', `a group holds at most ${MAX_GROUP_MEMBERS} members`)
  const members = value.slice(0, room).map((member, index) => validateParticipant(check, `members.${index}`, member))
  const seen = new Set(creatorUuid ? [creatorUuid] : [])
  members.forEach((member, index) => {
    if (member.uuid !== '' && seen.has(member.uuid)) check.fail(`members.${index}.uuid`, 'members_duplicate', 'names the creator or a member twice')
    seen.add(member.uuid)
  })
  return members
}
