import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/ValidationError.js'
import { isMessageSortKey, messageGroupPk, messagePk, messageSk, parseMessageGroupPk, parseMessagePk, timeOfSortKey, CONVERSATION_SK, MEMBER_SK_PREFIX, memberSk, parseMemberSk, rowKey, MESSAGE_SK_FLOOR } from './keys.js'

const uuid = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399'

describe('partition keys', () => {
  it('round-trips MSG# and GRP#', () => {
    expect(messagePk(uuid)).toBe(`MSG#${uuid}`)
    expect(messageGroupPk(uuid)).toBe(`GRP#${uuid}`)
    expect(parseMessagePk(messagePk(uuid))).toBe(uuid)
    expect(parseMessageGroupPk(messageGroupPk(uuid))).toBe(uuid)
  })

  it('lower-cases the uuid and refuses anything else, rather than building MSG#undefined', () => {
    expect(messagePk(uuid.toUpperCase())).toBe(`MSG#${uuid}`)
    expect(messageGroupPk(uuid.toUpperCase())).toBe(`GRP#${uuid}`)
    for (const bad of [undefined, null, 42, '', 'alice', `${uuid} `]) {
      expect(() => messagePk(bad as string)).toThrow(ValidationError)
      expect(() => messageGroupPk(bad as string)).toThrow(ValidationError)
    }
  })

  it('rejects the other prefix, an empty id and non-strings', () => {
    expect(parseMessagePk(messageGroupPk(uuid))).toBeUndefined()
    expect(parseMessageGroupPk(messagePk(uuid))).toBeUndefined()
    expect(parseMessagePk('MSG#')).toBeUndefined()
    expect(parseMessagePk(42 as unknown as string)).toBeUndefined()
  })
})

describe('sort keys', () => {
  it('puts the ISO time before the ULID', () => {
    expect(messageSk(new Date('2026-01-01T00:00:00.000Z'), '01KAR1Z1X8Y3VQ7D0N4W6TJ2HF')).toBe(
      '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF'
    )
  })

  it('refuses an invalid date, one before 1970 or after 9999, and an id that is not a ULID', () => {
    const ulid = '01KAR1Z1X8Y3VQ7D0N4W6TJ2HF'
    for (const [time, id] of [
      [new Date(Number.NaN), ulid],
      [new Date('+010000-01-01T00:00:00.000Z'), ulid],
      [new Date('1969-12-31T23:59:59.999Z'), ulid],
      ['2026-01-01' as unknown as Date, ulid],
      [new Date(0), ''],
      [new Date(0), ulid.toLowerCase()],
      [new Date(0), `${ulid}#x`],
      [new Date(0), undefined as unknown as string]
    ] as const) {
      expect(() => messageSk(time, id)).toThrow(ValidationError)
    }
    expect(messageSk(new Date(0), ulid)).toBe(`1970-01-01T00:00:00.000Z#${ulid}`)
    expect(messageSk(new Date('9999-12-31T23:59:59.999Z'), ulid)).toBe(`9999-12-31T23:59:59.999Z#${ulid}`)
  })

  it('reads the time of this library\'s keys and of the seeds\' bare timestamps', () => {
    expect(timeOfSortKey('2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF')).toBe('2026-01-01T00:00:00.000Z')
    expect(timeOfSortKey('2023-03-01T12:34:56.123456+00:00')).toBe('2023-03-01T12:34:56.123Z')
    expect(timeOfSortKey('2023-03-01T12:34:56+00:00')).toBe('2023-03-01T12:34:56.000Z')
    expect(timeOfSortKey('2023-03-01T12:34:56.5')).toBe('2023-03-01T12:34:56.500Z') // naive: the seeds meant UTC
    expect(timeOfSortKey('2023-03-01T14:34:56+02:00')).toBe('2023-03-01T12:34:56.000Z')
  })

  it('has no time for anything else', () => {
    for (const sk of [CONVERSATION_SK, memberSk('5ae290ed-55d1-47a0-bc6d-fe2bc2700399'), '', 'hello', '2023-13-45T99:99:99Z', '2023-03-01']) expect(timeOfSortKey(sk)).toBeUndefined()
  })

  it('orders by time in string order, against seed timestamps too', () => {
    const keys = [
      '2023-03-01T12:34:56+00:00',
      '2023-03-01T12:34:56.123456+00:00',
      '2023-03-01T12:34:57.000Z#01AAAAAAAAAAAAAAAAAAAAAAAA',
      '2024-12-31T23:59:59.999Z#01ZZZZZZZZZZZZZZZZZZZZZZZZ',
      '2025-01-01T00:00:00.000Z#01AAAAAAAAAAAAAAAAAAAAAAAA'
    ]
    expect([...keys].reverse().sort()).toEqual(keys)
    for (const key of keys) expect(key >= MESSAGE_SK_FLOOR).toBe(true)
    expect(CONVERSATION_SK < MESSAGE_SK_FLOOR).toBe(true)
    expect(`${MEMBER_SK_PREFIX}ffffffff-ffff-ffff-ffff-ffffffffffff` < MESSAGE_SK_FLOOR).toBe(true)
  })
})

describe('isMessageSortKey', () => {
  it('is true for this library\'s keys and the seeds\' bare timestamps', () => {
    for (const sk of ['2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF', '2023-03-01T12:34:56.123456+00:00', '2023-03-01T12:34']) {
      expect(isMessageSortKey(sk)).toBe(true)
      expect(sk >= MESSAGE_SK_FLOOR).toBe(true)
    }
  })

  it('is false for the conversation and membership items, blanks, controls, non-ASCII, keys over 1024 bytes and non-strings', () => {
    const time = '2026-01-01T00:00:00.000Z#'
    for (const sk of [CONVERSATION_SK, memberSk('5ae290ed-55d1-47a0-bc6d-fe2bc2700399'), '', ' ', '0', 'zzz', '2026', '2023-03-01', ` ${time}`, `${time}\u0000`, `${time}é`, `${time}\t`, time + 'x'.repeat(1000), 42, null, undefined]) {
      expect(isMessageSortKey(sk)).toBe(false)
    }
    expect(isMessageSortKey(time + 'x'.repeat(1024 - time.length))).toBe(true)
  })
})

describe('membership and row keys', () => {
  const user = '5AE290ED-55D1-47A0-BC6D-FE2BC2700399'
  const group = 'b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10'

  it('build a membership sort key and parse it back, lower-cased', () => {
    expect(memberSk(user)).toBe('#MEMBER#5ae290ed-55d1-47a0-bc6d-fe2bc2700399')
    expect(parseMemberSk(memberSk(user))).toBe('5ae290ed-55d1-47a0-bc6d-fe2bc2700399')
    expect(parseMemberSk(CONVERSATION_SK)).toBeUndefined()
  })

  it('key a row by its owner and its conversation, so it never moves', () => {
    expect(rowKey(user, group)).toEqual({ pk: 'GRP#5ae290ed-55d1-47a0-bc6d-fe2bc2700399', sk: `MSG#${group}` })
  })

  it('refuse what is not a uuid', () => {
    expect(() => memberSk('nope')).toThrow(ValidationError)
    expect(() => rowKey(user, 'MSG#x')).toThrow(ValidationError)
  })
})
