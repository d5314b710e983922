import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/ValidationError.js'
import { messageRangeToRead, planGroupUpdate } from './planGroupUpdate.js'

const latest = { messageGroupUuid: 'g', sortKey: '2026-01-01T00:00:00.000Z#01A', message: 'hi' }
const row = { pk: 'GRP#a', sk: '2025-01-01T00:00:00.000Z#01A', message_group_uuid: 'g', message: 'old', user_uuid: 'b', user_display_name: 'B', user_handle: 'b' }

const codesOf = (run: () => unknown): string[] => {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return (error as ValidationError).issues.map((issue) => issue.code)
  }
  throw new Error('expected a ValidationError')
}

describe('planGroupUpdate input', () => {
  it('is a ValidationError for anything but rows and a message, not a TypeError', () => {
    expect(codesOf(() => planGroupUpdate(undefined as never, latest))).toEqual(['rows_invalid'])
    expect(codesOf(() => planGroupUpdate([row, null] as never, latest))).toEqual(['rows_invalid'])
    expect(codesOf(() => planGroupUpdate([{ ...row, sk: 7 }] as never, latest))).toEqual(['rows_invalid'])
    expect(codesOf(() => planGroupUpdate([row], null as never))).toEqual(['latest_invalid'])
    expect(codesOf(() => planGroupUpdate([row], { ...latest, message: 1 } as never))).toEqual(['latest_invalid'])
  })

  it('messageRangeToRead too, before it reads `latest` for its default (fast-check found `("", undefined)`)', () => {
    expect(codesOf(() => messageRangeToRead('' as never, undefined as never))).toEqual(['rows_invalid', 'latest_invalid'])
  })

  it('takes well-formed input as before', () => {
    expect(planGroupUpdate([row], latest).puts).toEqual([{ ...row, sk: latest.sortKey, message: 'hi' }])
    expect(planGroupUpdate([], latest)).toEqual({ deletes: [], puts: [] })
  })
})
