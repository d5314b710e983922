import type { Participant } from '../../types.js'

/**
 * The members a 0.2 `#MEMBERS` item lists, or `undefined` when the item is absent or lists none (a pair link holds
 * no `members`). Entries without a uuid are left out.
 */
export function legacyMembersOf(item: Record<string, unknown> | undefined): Participant[] | undefined {
  if (!item || !Array.isArray(item.members)) return undefined
  const members = (item.members as unknown[]).flatMap((member) => {
    const fields = (typeof member === 'object' && member !== null ? member : {}) as Record<string, unknown>
    return typeof fields.user_uuid === 'string'
      ? [{ uuid: fields.user_uuid, displayName: String(fields.user_display_name ?? ''), handle: String(fields.user_handle ?? '') }]
      : []
  })
  return members.length > 0 ? members : undefined
}
