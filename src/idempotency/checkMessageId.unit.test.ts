import { describe, expect, it } from 'vitest'
import { encodeTime, ulid } from 'ulid'
import { ValidationError } from '../errors/ValidationError.js'
import { Validator } from '../validation/validate.js'
import { checkMessageId } from './ClientMessageId.js'
import { MESSAGE_ID_MAX_AGE_MS, MESSAGE_ID_MAX_AHEAD_MS, messageIdTime } from './messageIdTime.js'
import { isSameMessage } from './isSameMessage.js'

const now = new Date('2026-11-23T12:00:00.000Z')
const idAt = (ms: number) => `${encodeTime(ms, 10)}${ulid().slice(10)}`

/** The codes `checkMessageId` reports for `value`, and what it returned. */
function check(value: unknown) {
  const validator = new Validator()
  const id = checkMessageId(validator, 'messageId', value, now)
  try {
    validator.done()
    return { codes: [] as string[], id }
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return { codes: (error as ValidationError).issues.map((issue) => issue.code), id }
  }
}

describe('messageIdTime', () => {
  it('reads the time a ULID holds and places it in the window, edges included', () => {
    const t = now.getTime()
    expect(messageIdTime(idAt(t), now)).toEqual({ createdAt: now, timing: 'fresh' })
    expect(messageIdTime(idAt(t + MESSAGE_ID_MAX_AHEAD_MS), now).timing).toBe('fresh')
    expect(messageIdTime(idAt(t + MESSAGE_ID_MAX_AHEAD_MS + 1), now).timing).toBe('future')
    expect(messageIdTime(idAt(t - MESSAGE_ID_MAX_AGE_MS), now).timing).toBe('fresh')
    expect(messageIdTime(idAt(t - MESSAGE_ID_MAX_AGE_MS - 1), now).timing).toBe('expired')
    expect(messageIdTime(idAt(0), now).timing).toBe('expired')
  })

  it('calls a ULID time after 9999 invalid: no message sort key can hold it', () => {
    expect(messageIdTime(`${encodeTime(Date.parse('9999-12-31T23:59:59.999Z') + 1, 10)}${'0'.repeat(16)}`, now).timing).toBe('invalid')
    expect(messageIdTime('7ZZZZZZZZZZZZZZZZZZZZZZZZZ', now).timing).toBe('invalid')
  })
})

describe('checkMessageId', () => {
  it('is undefined and silent when no id is given', () => {
    expect(check(undefined)).toEqual({ codes: [], id: undefined })
  })

  it('accepts a ULID in any case, upper-cased, with its time and freshness', () => {
    const id = idAt(now.getTime() - 1000)
    expect(check(id.toLowerCase())).toEqual({ codes: [], id: { messageId: id, createdAt: new Date(now.getTime() - 1000), fresh: true } })
    expect(check(idAt(now.getTime() - MESSAGE_ID_MAX_AGE_MS - 1)).id?.fresh).toBe(false) // a retry may still be answered
  })

  it('refuses what is not a ULID, a time past 9999 and a time more than a minute ahead, each with its code', () => {
    for (const bad of ['', 'x', 42, null, {}, '01KAR1Z1X8Y3VQ7D0N4W6TJ2H', '01KAR1Z1X8Y3VQ7D0N4W6TJ2HFX', '01KAR1Z1X8Y3VQ7D0N4W6TJ2HU', '8ZZZZZZZZZZZZZZZZZZZZZZZZZ']) {
      expect(check(bad).codes).toEqual(['message_id_invalid'])
    }
    expect(check('7ZZZZZZZZZZZZZZZZZZZZZZZZZ').codes).toEqual(['message_id_invalid'])
    expect(check(idAt(now.getTime() + MESSAGE_ID_MAX_AHEAD_MS + 1)).codes).toEqual(['message_id_in_future'])
  })
})

describe('isSameMessage', () => {
  const stored = {
    message_group_uuid: 'g',
    sk: 'k',
    message_uuid: 'u1',
    message: 'hi',
    user_uuid: 'alice',
    user_display_name: 'Alice',
    user_handle: 'alice'
  }
  it('matches on conversation, sender and text only', () => {
    expect(isSameMessage(stored, { ...stored, message_uuid: 'u2', user_display_name: 'Alice B', user_handle: 'ab' })).toBe(true)
    expect(isSameMessage(stored, { ...stored, message: 'hi!' })).toBe(false)
    expect(isSameMessage(stored, { ...stored, user_uuid: 'bob' })).toBe(false)
    expect(isSameMessage(stored, { ...stored, message_group_uuid: 'h' })).toBe(false)
  })
})
