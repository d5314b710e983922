import { describe, expect, it } from 'vitest'
import { decodeVersion, encodeVersion } from './watermark.js'

const rows = [
  { sk: 'MSG#aaaaaaaa-0000-4000-8000-000000000000', rev: 3, lastSk: '2026-01-01T00:00:01.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF' },
  // A seeds' key holds no `~`, but a key of other code might: the rows are JSON, so it is read back whole.
  { sk: 'MSG#bbbbbbbb-0000-4000-8000-000000000000', rev: 1, lastSk: '2023-03-01T12:34:56.123456+00:00~x' }
]

describe('encodeVersion and decodeVersion', () => {
  it('round-trip the time and the rows a write left', () => {
    const value = encodeVersion('token', 1_767_225_600_000, rows)
    expect(value.startsWith('token~')).toBe(true)
    expect(decodeVersion(value)).toEqual({ at: 1_767_225_600_000, rows })
  })

  it('is the bare token for a write without rows, which names no time and no rows', () => {
    expect(encodeVersion('token', 5, [])).toBe('token')
    expect(decodeVersion('token')).toEqual({ rows: [] })
  })

  it('reads a version another writer set (a random token, a conversation\'s) as naming no rows', () => {
    for (const value of ['', '~', 'a~b', 'a~1~', 'a~1~not json', 'a~1~{"0":1}', 'a~1~null']) expect(decodeVersion(value)).toEqual({ rows: [] })
  })

  it('leaves out entries that are not [sk, rev, lastSk]', () => {
    const value = `t~7~${JSON.stringify([['MSG#x', 2, 'k'], ['MSG#y', '2', 'k'], ['MSG#z', 2], 'junk', null, ['MSG#w', 4, 'l']])}`
    expect(decodeVersion(value)).toEqual({ at: 7, rows: [{ sk: 'MSG#x', rev: 2, lastSk: 'k' }, { sk: 'MSG#w', rev: 4, lastSk: 'l' }] })
  })
})
