import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor, type CursorScope } from './cursor.js'
import { ValidationError } from '../errors/ValidationError.js'

const scope: CursorScope = { table: 'cruddur-messages', pattern: 'A', pk: 'MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399' }
const sk = '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF'

const expectInvalid = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.code)).toEqual(['cursor_invalid'])
    return
  }
  throw new Error('expected a ValidationError')
}

describe('cursor', () => {
  it('round-trips the sort key for the same scope', () => {
    expect(decodeCursor(scope, encodeCursor(scope, { sk }))).toEqual({ sk })
  })

  it('round-trips a Pattern B position: the last message and the row there', () => {
    const b: CursorScope = { ...scope, pattern: 'B', pk: 'GRP#5ae290ed-55d1-47a0-bc6d-fe2bc2700399' }
    const position = { sk, row: 'MSG#b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10' }
    expect(decodeCursor(b, encodeCursor(b, position))).toEqual(position)
    expectInvalid(() => decodeCursor(b, encodeCursor(b, { sk })))
    expectInvalid(() => decodeCursor(b, encodeCursor(b, { sk, row: '#CONVERSATION' })))
    expectInvalid(() => decodeCursor(scope, encodeCursor(scope, position)))
  })

  it('is opaque: the sort key is not readable as is', () => {
    expect(encodeCursor(scope, { sk })).not.toContain(sk)
  })

  it('rejects a cursor of another partition, pattern or table', () => {
    const cursor = encodeCursor(scope, { sk })
    expectInvalid(() => decodeCursor({ ...scope, pk: 'MSG#other' }, cursor))
    expectInvalid(() => decodeCursor({ ...scope, pattern: 'B' }, cursor))
    expectInvalid(() => decodeCursor({ ...scope, table: 'other' }, cursor))
  })

  it('rejects a tampered cursor', () => {
    const cursor = encodeCursor(scope, { sk })
    const [payload, check] = cursor.split('.') as [string, string]
    const forged = Buffer.from(JSON.stringify({ v: 2, sk: '9999' })).toString('base64url')
    expectInvalid(() => decodeCursor(scope, `${forged}.${check}`))
    expectInvalid(() => decodeCursor(scope, `${payload}.${check.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`))
  })

  it('rejects a well-made cursor whose key is not a message sort key: the query could never return it', () => {
    for (const key of ['#CONVERSATION', ' ', 'zzz', `${sk}é`]) expectInvalid(() => decodeCursor(scope, encodeCursor(scope, { sk: key })))
  })

  it('rejects garbage of every kind', () => {
    for (const garbage of ['', 'abc', 'a.b.c', '.', '%%%.%%%', 'x'.repeat(5000), 42, null, {}]) {
      expectInvalid(() => decodeCursor(scope, garbage))
    }
  })
})
