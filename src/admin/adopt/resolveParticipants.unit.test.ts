import { describe, expect, it } from 'vitest'
import type { LatestMessage } from '../../types.js'
import type { LegacyRow } from '../maintenance/legacyLayout.js'
import { resolveParticipants } from './resolveParticipants.js'

const A = '11111111-1111-4111-8111-111111111111'
const B = '22222222-2222-4222-8222-222222222222'
const C = '33333333-3333-4333-8333-333333333333'
const G = '99999999-9999-4999-8999-999999999999'
const names: Record<string, [string, string]> = { [A]: ['Ada', 'ada'], [B]: ['Ben', 'ben'], [C]: ['Cleo', 'cleo'] }

const row = (owner: string, other: string, sk = '2024-01-01T00:00:00+00:00'): LegacyRow => ({
  pk: `GRP#${owner}`,
  sk,
  message_group_uuid: G,
  message: 'hi',
  user_uuid: other,
  user_display_name: names[other]![0],
  user_handle: names[other]![1]
})
const sent = (sender: string, displayName = names[sender]![0]): LatestMessage => ({
  messageGroupUuid: G,
  sortKey: '2024-01-01T00:00:00+00:00',
  message: 'hi',
  userUuid: sender,
  displayName,
  handle: names[sender]![1]
})
const ada = { uuid: A, displayName: 'Ada', handle: 'ada' }
const ben = { uuid: B, displayName: 'Ben', handle: 'ben' }

describe('resolveParticipants', () => {
  it('names both people from two rows alone, in uuid order, without reading a message', () => {
    expect(resolveParticipants([row(B, A), row(A, B)], [], false)).toEqual({ kind: 'named', participants: [ada, ben] })
  })

  it('names the owner of the only row from the messages they sent (the other row was lost)', () => {
    // Ben's row describes Ada; Ben is only an owner until one of his messages is read.
    expect(resolveParticipants([row(B, A)], [sent(A)], false)).toEqual({ kind: 'more' })
    expect(resolveParticipants([row(B, A)], [sent(A), sent(B)], false)).toEqual({ kind: 'named', participants: [ada, ben] })
  })

  it('names both from the messages when every row is gone', () => {
    expect(resolveParticipants([], [sent(B), sent(B), sent(A)], true)).toEqual({ kind: 'named', participants: [ada, ben] })
  })

  it("prefers the name on a person's newest message to a row's older description", () => {
    const verdict = resolveParticipants([row(B, A), row(A, B)], [sent(A, 'Ada Lovelace'), sent(A, 'Ada')], false)
    expect(verdict).toEqual({ kind: 'named', participants: [{ ...ada, displayName: 'Ada Lovelace' }, ben] })
  })

  it("does not take a stranger's post for a participant once the rows name two people", () => {
    expect(resolveParticipants([row(A, B)], [sent(C), sent(A)], true)).toEqual({ kind: 'named', participants: [ada, ben] })
  })

  it('asks for more messages until two people are named, then gives up with the reason', () => {
    expect(resolveParticipants([], [sent(A)], false)).toEqual({ kind: 'more' })
    expect(resolveParticipants([], [sent(A)], true)).toEqual({ kind: 'unresolved', reason: 'only one participant is named' })
    expect(resolveParticipants([], [], true)).toEqual({ kind: 'unresolved', reason: 'nothing names a participant' })
    // The recipient never wrote and the row describing them is gone: nothing in the conversation names them.
    expect(resolveParticipants([row(B, A)], [sent(A)], true)).toEqual({
      kind: 'unresolved',
      reason: `nothing names the display name and handle of ${B}`
    })
  })

  it('refuses rows naming three people, and ids that are not uuids', () => {
    expect(resolveParticipants([row(A, B), row(C, A)], [], true)).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('3 people') })
    const odd = { ...row(A, B), pk: 'GRP#not-a-uuid' }
    expect(resolveParticipants([odd], [], true)).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('not-a-uuid') })
  })
})
