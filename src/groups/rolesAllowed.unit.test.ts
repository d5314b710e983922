import { describe, expect, it } from 'vitest'
import type { GroupRole } from '../types.js'
import { removalAction, rolesAllowed, type GroupAction } from './rolesAllowed.js'

const may = (role: GroupRole, action: GroupAction) => rolesAllowed(action).includes(role)

describe('rolesAllowed', () => {
  it.each([
    // action, owner, admin, member
    ['add members', true, true, false],
    ['remove a member', true, true, false],
    ['remove an admin', true, false, false],
    ['remove the owner', false, false, false],
    ['leave', true, true, true],
    ['rename the group', true, true, false],
    ['make or unmake admins', true, false, false]
  ] as const)('%s: owner %s, admin %s, member %s', (action, owner, admin, member) => {
    expect([may('owner', action), may('admin', action), may('member', action)]).toEqual([owner, admin, member])
  })
})

describe('removalAction', () => {
  it('is leaving when one removes oneself, whatever the role', () => {
    for (const role of ['owner', 'admin', 'member'] as const) expect(removalAction('u1', { uuid: 'u1', role })).toBe('leave')
  })

  it('names what removing someone else is, by their role', () => {
    expect(removalAction('u1', { uuid: 'u2', role: 'member' })).toBe('remove a member')
    expect(removalAction('u1', { uuid: 'u2', role: 'admin' })).toBe('remove an admin')
    expect(removalAction('u1', { uuid: 'u2', role: 'owner' })).toBe('remove the owner')
  })
})
