import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/ValidationError.js'
import { Validator } from '../validation/validate.js'
import { validateMembers } from './validateMembers.js'

const person = (handle: string) => ({ uuid: randomUUID(), displayName: handle, handle })
const codesOf = (value: unknown, creatorUuid?: string): string[] => {
  const check = new Validator()
  validateMembers(check, value, creatorUuid)
  try {
    check.done()
    return []
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return (error as ValidationError).issues.map((issue) => `${issue.path}:${issue.code}`)
  }
}

describe('validateMembers', () => {
  const creator = person('ada')

  it('takes at least one member besides the creator, up to 999 with them', () => {
    expect(codesOf([person('ben')], creator.uuid)).toEqual([])
    expect(codesOf(Array.from({ length: 999 }, (_, i) => person(`m${i}`)), creator.uuid)).toEqual([])
    expect(codesOf(Array.from({ length: 1000 }, (_, i) => person(`m${i}`)), creator.uuid)).toEqual(['members:members_too_many'])
    // Members added to a group count against what it holds when the write is made, not here: 1,000 pass.
    expect(codesOf(Array.from({ length: 1000 }, (_, i) => person(`m${i}`)))).toEqual([])
  })

  it('refuses what is not a non-empty array', () => {
    for (const value of [[], undefined, null, 'ben', { 0: person('ben') }]) expect(codesOf(value, creator.uuid)).toEqual(['members:members_invalid'])
  })

  it('refuses the creator among the members, and anyone twice', () => {
    const ben = person('ben')
    expect(codesOf([ben, { ...creator }], creator.uuid)).toEqual(['members.1.uuid:members_duplicate'])
    expect(codesOf([ben, { ...ben, handle: 'other' }], creator.uuid)).toEqual(['members.1.uuid:members_duplicate'])
  })

  it('checks each member as a participant, with its place in the list', () => {
    expect(codesOf([person('ben'), { uuid: 'nope', displayName: ' ', handle: 'x y' }], creator.uuid)).toEqual([
      'members.1.uuid:members_uuid_invalid',
      'members.1.displayName:members_display_name_blank',
      'members.1.handle:members_handle_invalid'
    ])
  })

  it('returns the members cleaned', () => {
    const check = new Validator()
    const ben = person('ben')
    expect(validateMembers(check, [{ ...ben, displayName: '  Ben  ' }], creator.uuid)).toEqual([{ ...ben, displayName: 'Ben' }])
  })
})
