import { describe, expect, it } from 'vitest'
import { tally, widen, within, type MessageRange } from './messageRange.js'

const sk = (second: number, id = 'A') => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z#01${id}`
const ann = 'ann'
const ben = 'ben'

describe('within', () => {
  it('is (after, through]: the lower bound out, the upper in; no lower bound reads from the first message', () => {
    expect(within(sk(1), sk(1), sk(3))).toBe(false)
    expect(within(sk(2), sk(1), sk(3))).toBe(true)
    expect(within(sk(3), sk(1), sk(3))).toBe(true)
    expect(within(sk(4), sk(1), sk(3))).toBe(false)
    expect(within(sk(0), undefined, sk(3))).toBe(true)
  })

  it('orders two messages of one second by their ULID, and a seeds\' bare timestamp before the library\'s keys of that second', () => {
    expect(within(sk(2, 'B'), sk(2, 'A'), sk(2, 'C'))).toBe(true)
    expect(within(sk(2, 'A'), sk(2, 'B'), sk(2, 'C'))).toBe(false)
    expect(within('2026-01-01T00:00:02.000Z', undefined, sk(2, 'A'))).toBe(true)
  })
})

describe('widen', () => {
  it('is the other bounds when there are none yet', () => {
    expect(widen(undefined, { after: sk(1), through: sk(2) })).toEqual({ after: sk(1), through: sk(2) })
  })

  it('takes the lower `after` and the higher `through`, and no `after` when either has none', () => {
    expect(widen({ after: sk(3), through: sk(5) }, { after: sk(1), through: sk(4) })).toEqual({ after: sk(1), through: sk(5) })
    expect(widen({ after: sk(1), through: sk(2) }, { after: sk(3), through: sk(6) })).toEqual({ after: sk(1), through: sk(6) })
    expect(widen({ after: sk(3), through: sk(5) }, { through: sk(4) })).toEqual({ through: sk(5) })
    expect(widen({ through: sk(5) }, { after: sk(3), through: sk(4) })).toEqual({ through: sk(5) })
  })
})

describe('tally', () => {
  const range: MessageRange = {
    through: sk(9),
    messages: [
      // Any order: a range is read newest first, a caller may hand it in any order.
      { sk: sk(4), user_uuid: ann },
      { sk: sk(1), user_uuid: ben },
      { sk: sk(6), user_uuid: ben },
      { sk: sk(2), user_uuid: ann },
      { sk: sk(7) }, // no sender: someone else's
      { sk: sk(9), user_uuid: ben }
    ]
  }

  it("counts the others' messages in (after, through] and finds the owner's newest there", () => {
    expect(tally(range, ann, undefined, sk(9))).toEqual({ newestOwn: sk(4), others: 4 })
    expect(tally(range, ann, sk(4), sk(9))).toEqual({ others: 3 })
    expect(tally(range, ann, sk(1), sk(6))).toEqual({ newestOwn: sk(4), others: 1 })
    expect(tally(range, ben, undefined, sk(9))).toEqual({ newestOwn: sk(9), others: 3 })
  })

  it('leaves out messages of the range outside the bounds asked for', () => {
    expect(tally(range, ann, sk(6), sk(7))).toEqual({ others: 1 })
    expect(tally(range, ann, sk(9), sk(9))).toEqual({ others: 0 })
  })
})
