import { describe, expect, it } from 'vitest'
import type { StoredMember } from '../table/readMembers.js'
import { chooseSuccessor } from './chooseSuccessor.js'

const member = (uuid: string, role: StoredMember['role'], joinedAt: string): StoredMember => ({ uuid, displayName: uuid, handle: uuid, role, joinedAt })
const owner = member('0-owner', 'owner', '2026-01-01T00:00:00.000Z')

describe('chooseSuccessor', () => {
  it('hands the group to the longest-standing admin, even one who joined after plain members', () => {
    const members = [owner, member('a-member', 'member', '2026-01-01T00:00:00.000Z'), member('b-admin', 'admin', '2026-03-01T00:00:00.000Z'), member('c-admin', 'admin', '2026-02-01T00:00:00.000Z')]
    expect(chooseSuccessor(members, owner.uuid)?.uuid).toBe('c-admin')
  })

  it('without an admin, to the longest-standing member', () => {
    const members = [member('z-late', 'member', '2026-05-01T00:00:00.000Z'), owner, member('y-early', 'member', '2026-02-01T00:00:00.000Z')]
    expect(chooseSuccessor(members, owner.uuid)?.uuid).toBe('y-early')
  })

  it('breaks a tie of joining times (members a group started with) by the smaller uuid', () => {
    const at = '2026-01-01T00:00:00.000Z'
    expect(chooseSuccessor([owner, member('bbb', 'member', at), member('aaa', 'member', at)], owner.uuid)?.uuid).toBe('aaa')
  })

  it('never chooses the one leaving, and nobody when nobody else is left', () => {
    expect(chooseSuccessor([owner], owner.uuid)).toBeUndefined()
    expect(chooseSuccessor([], owner.uuid)).toBeUndefined()
    const admin = member('a', 'admin', '2025-01-01T00:00:00.000Z')
    expect(chooseSuccessor([admin, member('b', 'member', '2026-01-01T00:00:00.000Z')], 'a')?.uuid).toBe('b')
  })

  it('leaves its input in order', () => {
    const members = [owner, member('b', 'member', '2026-02-01T00:00:00.000Z'), member('a', 'admin', '2026-03-01T00:00:00.000Z')]
    const before = members.map((m) => m.uuid)
    chooseSuccessor(members, owner.uuid)
    expect(members.map((m) => m.uuid)).toEqual(before)
  })
})
