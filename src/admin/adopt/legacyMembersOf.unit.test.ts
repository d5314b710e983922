import { describe, expect, it } from 'vitest'
import { legacyMembersOf } from './legacyMembersOf.js'

describe('legacyMembersOf', () => {
  it("reads 0.2's members list; a pair link, an absent item or an empty list has none", () => {
    const members = [
      { user_uuid: 'a', user_display_name: 'Ada', user_handle: 'ada' },
      { user_uuid: 'b', user_display_name: 'Ben', user_handle: 'ben' }
    ]
    expect(legacyMembersOf({ pk: 'MSG#g', sk: '#MEMBERS', members, created_at: 'x' })).toEqual([
      { uuid: 'a', displayName: 'Ada', handle: 'ada' },
      { uuid: 'b', displayName: 'Ben', handle: 'ben' }
    ])
    expect(legacyMembersOf({ pk: 'MSG#g', sk: '#MEMBERS', linked_message_group_uuid: 'h' })).toBeUndefined()
    expect(legacyMembersOf(undefined)).toBeUndefined()
    expect(legacyMembersOf({ members: [] })).toBeUndefined()
    expect(legacyMembersOf({ members: [null, 'x', { user_handle: 'no uuid' }, { user_uuid: 'c' }] })).toEqual([{ uuid: 'c', displayName: '', handle: '' }])
  })
})
