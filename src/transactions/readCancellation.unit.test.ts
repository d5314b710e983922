import { describe, expect, it } from 'vitest'
import { readCancellation } from './readCancellation.js'

const cancelled = (...codes: string[]) =>
  Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) })

describe('readCancellation', () => {
  it('names the items whose condition failed, and whether another transaction was in the way', () => {
    expect(readCancellation(cancelled('ConditionalCheckFailed', 'None', 'ConditionalCheckFailed'))).toEqual({
      conditionFailed: [0, 2],
      conflict: false
    })
    expect(readCancellation(cancelled('TransactionConflict', 'None'))).toEqual({ conditionFailed: [], conflict: true })
    expect(readCancellation(cancelled('None', 'ThrottlingError'))).toEqual({ conditionFailed: [], conflict: false })
  })

  it('reads a cancellation without reasons as one with none', () => {
    const bare = Object.assign(new Error('x'), { name: 'TransactionCanceledException' })
    expect(readCancellation(bare)).toEqual({ conditionFailed: [], conflict: false })
    expect(readCancellation({ name: 'TransactionCanceledException', CancellationReasons: [null, 'x'] })).toEqual({
      conditionFailed: [],
      conflict: false
    })
  })

  it('is undefined for anything that is not a cancelled transaction', () => {
    for (const error of [new Error('x'), Object.assign(new Error('x'), { name: 'TransactionConflictException' }), null, 'TransactionCanceledException']) {
      expect(readCancellation(error)).toBeUndefined()
    }
  })
})
