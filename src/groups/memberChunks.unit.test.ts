import { describe, expect, it } from 'vitest'
import { addTransactionItems, memberChunks, MEMBERS_PER_TRANSACTION } from './memberChunks.js'

describe('memberChunks', () => {
  it('keeps every transaction within DynamoDB limit of 100 items, role check included', () => {
    expect(MEMBERS_PER_TRANSACTION).toBe(49)
    expect(addTransactionItems(MEMBERS_PER_TRANSACTION, true)).toBeLessThanOrEqual(100)
    expect(addTransactionItems(MEMBERS_PER_TRANSACTION + 1, true)).toBeGreaterThan(100)
  })

  it('splits 1,000 members into 21 transactions, in order, each member once', () => {
    const members = Array.from({ length: 1000 }, (_, i) => i)
    const chunks = memberChunks(members)
    expect(chunks).toHaveLength(21)
    expect(chunks.every((chunk) => chunk.length >= 1 && chunk.length <= MEMBERS_PER_TRANSACTION)).toBe(true)
    expect(chunks.flat()).toEqual(members)
    expect(chunks.at(-1)).toHaveLength(1000 - 20 * 49)
  })

  it('makes no transaction of nothing', () => {
    expect(memberChunks([])).toEqual([])
    expect(memberChunks(['one'])).toEqual([['one']])
  })
})
