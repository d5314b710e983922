import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { messageGroupUuidFor } from './messageGroupUuidFor.js'
import { ValidationError } from '../errors/ValidationError.js'

describe('messageGroupUuidFor', () => {
  it('is the same for both orders and any letter case', () => {
    const a = randomUUID()
    const b = randomUUID()
    expect(messageGroupUuidFor(a, b)).toBe(messageGroupUuidFor(b, a))
    expect(messageGroupUuidFor(a.toUpperCase(), b)).toBe(messageGroupUuidFor(a, b))
  })

  it('differs between pairs and is a version 5 uuid', () => {
    const a = randomUUID()
    const ids = new Set(Array.from({ length: 200 }, () => messageGroupUuidFor(a, randomUUID())))
    expect(ids.size).toBe(200)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('is stable across versions (changing it would split every conversation)', () => {
    // Golden value: if this changes, existing pairs would no longer find their conversation.
    expect(messageGroupUuidFor('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002')).toBe(
      '16d669f4-cb58-5b65-8e5e-aecef189bf49'
    )
  })

  it('refuses anything but two uuids with a ValidationError', () => {
    const a = randomUUID()
    for (const bad of [undefined, null, 42, '', 'alice']) {
      expect(() => messageGroupUuidFor(bad as string, a)).toThrow(ValidationError)
      expect(() => messageGroupUuidFor(a, bad as string)).toThrow(ValidationError)
    }
  })
})
