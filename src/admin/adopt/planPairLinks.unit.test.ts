import { describe, expect, it } from 'vitest'
import { messageGroupUuidFor } from '../../ids/messageGroupUuidFor.js'
import { planPairLinks } from './planPairLinks.js'

const A = '11111111-1111-4111-8111-111111111111'
const B = '22222222-2222-4222-8222-222222222222'
const C = '33333333-3333-4333-8333-333333333333'
const R1 = 'aaaaaaaa-0000-4000-8000-000000000001'
const R2 = 'aaaaaaaa-0000-4000-8000-000000000002'
const R3 = 'aaaaaaaa-0000-4000-8000-000000000003'

describe('planPairLinks', () => {
  it('links each pair to its conversation, whichever way round the participants are listed', () => {
    const { links: plans, startedByLibrary } = planPairLinks([
      { messageGroupUuid: R1, participantUuids: [A, B], newestSortKey: '2024-01-01T00:00:00+00:00' },
      { messageGroupUuid: R3, participantUuids: [C, A], newestSortKey: '2023-05-01T00:00:00+00:00' }
    ])
    expect(startedByLibrary).toEqual([])
    expect(plans).toEqual(
      [
        { pairGroupUuid: messageGroupUuidFor(B, A), linkedGroupUuid: R1, conversations: 1 },
        { pairGroupUuid: messageGroupUuidFor(A, C), linkedGroupUuid: R3, conversations: 1 }
      ].sort((x, y) => (x.pairGroupUuid < y.pairGroupUuid ? -1 : 1))
    )
  })

  it('links a pair that was started twice to the conversation with the newest message, across key formats', () => {
    const { links: plans } = planPairLinks([
      { messageGroupUuid: R1, participantUuids: [A, B], newestSortKey: '2024-01-05T21:02:00.900000+00:00' },
      // The library's key of a later message sorts after the bootcamp's bare timestamps.
      { messageGroupUuid: R2, participantUuids: [B, A], newestSortKey: '2024-01-05T21:02:01.000Z#01HKQZ3Q3W6V7X8Y9Z0A1B2C3D' }
    ])
    expect(plans).toEqual([{ pairGroupUuid: messageGroupUuidFor(A, B), linkedGroupUuid: R2, conversations: 2 }])
    // A tie goes to the smaller id, so two runs choose alike.
    const { links: tie } = planPairLinks([
      { messageGroupUuid: R2, participantUuids: [A, B], newestSortKey: 'x' },
      { messageGroupUuid: R1, participantUuids: [A, B], newestSortKey: 'x' }
    ])
    expect(tie[0]?.linkedGroupUuid).toBe(R1)
  })

  it('needs no link for a pair the library already started (its conversation sits at the derived id)', () => {
    const derived = messageGroupUuidFor(A, B)
    expect(
      planPairLinks([
        { messageGroupUuid: R1, participantUuids: [A, B], newestSortKey: '2025' },
        { messageGroupUuid: derived, participantUuids: [A, B], newestSortKey: '2024' }
      ])
    ).toEqual({ links: [], startedByLibrary: [derived] })
    // The library's own conversation alone is nothing to report.
    expect(planPairLinks([{ messageGroupUuid: derived, participantUuids: [A, B], newestSortKey: '2024' }])).toEqual({ links: [], startedByLibrary: [] })
  })
})
