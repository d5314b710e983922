import { describe, expect, it } from 'vitest'
import { readCancellation } from './readCancellation.js'

const cancelled = (...codes: string[]) =>
  Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) })

describe('readCancellation', () => {
  it('names the items whose condition failed, and whether another transaction was in the way', () => {
    expect(readCancellation(cancelled('ConditionalCheckFailed', 'None', 'ConditionalCheckFailed'))).toMatchObject({
      conditionFailed: [0, 2],
      conflict: false,
      throttled: false
    })
    expect(readCancellation(cancelled('TransactionConflict', 'None'))).toMatchObject({ conditionFailed: [], conflict: true })
    expect(readCancellation(cancelled('None', 'ThrottlingError'))).toMatchObject({ conditionFailed: [], conflict: false, throttled: true })
  })

  it('hands back the old item of each position that returned one (ReturnValuesOnConditionCheckFailure)', () => {
    const old = { pk: { S: 'MSG#x' }, sk: { S: '#MEMBERS' } }
    const error = Object.assign(new Error('cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: old }, { Code: 'None' }, null]
    })
    expect(readCancellation(error)?.oldItems).toEqual([old, undefined, undefined])
  })

  it('reads a cancellation without reasons as one with none', () => {
    const bare = Object.assign(new Error('x'), { name: 'TransactionCanceledException' })
    expect(readCancellation(bare)).toEqual({ conditionFailed: [], conflict: false, throttled: false, oldItems: [] })
    expect(readCancellation({ name: 'TransactionCanceledException', CancellationReasons: [null, 'x'] })).toEqual({
      conditionFailed: [],
      conflict: false,
      throttled: false,
      oldItems: [undefined, undefined]
    })
  })

  it('is undefined for anything that is not a cancelled transaction', () => {
    for (const error of [new Error('x'), Object.assign(new Error('x'), { name: 'TransactionConflictException' }), null, 'TransactionCanceledException']) {
      expect(readCancellation(error)).toBeUndefined()
    }
  })
})
