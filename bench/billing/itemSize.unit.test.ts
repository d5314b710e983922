import { describe, expect, it } from 'vitest'
import { attributeValueSize, itemSize, numberSize } from './itemSize.js'

describe('itemSize', () => {
  it('counts attribute names and UTF-8 string bytes', () => {
    // 'pk' 2 + 'GRP#a' 5, 'message' 7 + 'héllo' 6 (é is 2 bytes)
    expect(itemSize({ pk: { S: 'GRP#a' }, message: { S: 'héllo' } })).toBe(20)
  })

  it('sizes numbers by significant digits', () => {
    expect(numberSize('0')).toBe(2)
    expect(numberSize('12')).toBe(2)
    expect(numberSize('123')).toBe(3)
    expect(numberSize('-1000')).toBe(2)
    expect(numberSize('0.00125')).toBe(3)
  })

  it('sizes lists and maps with their overhead', () => {
    expect(attributeValueSize({ L: [{ S: 'ab' }, { BOOL: true }] })).toBe(3 + 1 + 2 + 1 + 1)
    expect(attributeValueSize({ M: { k: { S: 'ab' } } })).toBe(3 + 1 + 1 + 2)
    expect(attributeValueSize({ NULL: true })).toBe(1)
    expect(attributeValueSize({ SS: ['a', 'bc'] })).toBe(3)
  })

  it('refuses a value it does not know, rather than counting it as nothing', () => {
    expect(() => attributeValueSize({ X: 1 } as never)).toThrow(/unknown attribute value type/)
  })
})
