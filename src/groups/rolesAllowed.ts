import type { GroupRole } from '../types.js'

/** What a member may try in a group, as {@link rolesAllowed} decides it. */
export type GroupAction = 'add members' | 'remove a member' | 'remove an admin' | 'remove the owner' | 'leave' | 'rename the group' | 'make or unmake admins'

const ALLOWED: Readonly<Record<GroupAction, readonly GroupRole[]>> = {
  'add members': ['owner', 'admin'],
  'remove a member': ['owner', 'admin'],
  'remove an admin': ['owner'],
  // Nobody: the owner leaves, handing the group on.
  'remove the owner': [],
  leave: ['owner', 'admin', 'member'],
  'rename the group': ['owner', 'admin'],
  'make or unmake admins': ['owner']
}

/**
 * The roles that may do `action` in a group: the owner and admins add and remove members and rename; only the owner
 * removes an admin and makes or unmakes admins; nobody removes the owner; everybody may leave.
 */
export const rolesAllowed = (action: GroupAction): readonly GroupRole[] => ALLOWED[action]

/** What removing `target` is, for the actor `by`: leaving when it is themselves. */
export const removalAction = (by: string, target: { uuid: string; role: GroupRole }): GroupAction =>
  by === target.uuid ? 'leave' : target.role === 'owner' ? 'remove the owner' : target.role === 'admin' ? 'remove an admin' : 'remove a member'
