import { describe, expect, it } from 'vitest'
import { decodeAppliedConversation, encodeAppliedConversation, MAX_EVENT_CHARS } from './appliedConversationJson.js'

const applied = {
  messageGroupUuid: '5ae290ed-55d1-47a0-bc6d-fe2bc2700399',
  message: {
    messageGroupUuid: '5ae290ed-55d1-47a0-bc6d-fe2bc2700399',
    sortKey: '2026-11-23T10:00:00.123456+00:00#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF',
    message: 'Shipped! "quoted" \u2028 and \u{1F600}',
    userUuid: 'u-ben',
    displayName: 'Ben Okafor',
    handle: 'ben'
  },
  participants: [
    { userUuid: 'u-ada', unreadCount: 3, lastReadSortKey: '2026-11-23T09:00:00.000000+00:00#01KAR1Z1X8Y3VQ7D0N4W6TJ2HA' },
    { userUuid: 'u-ben', unreadCount: 0 }
  ]
}

describe('the events wire format', () => {
  it('gives back what was encoded, optional fields left out when absent', () => {
    expect(decodeAppliedConversation(encodeAppliedConversation(applied))).toEqual({ ok: true, applied })
    const bare = { ...applied, message: { messageGroupUuid: 'g', sortKey: 's', message: 'm' }, participants: [] }
    const decoded = decodeAppliedConversation(encodeAppliedConversation(bare))
    expect(decoded).toEqual({ ok: true, applied: bare })
    expect(Object.keys(decoded.ok ? decoded.applied.message : {})).toEqual(['messageGroupUuid', 'sortKey', 'message'])
    // A stream record without the text (Pattern D reads the stored one): the event carries none either.
    const textless = { ...applied, message: { messageGroupUuid: 'g', sortKey: 's' } }
    expect(decodeAppliedConversation(encodeAppliedConversation(textless))).toEqual({ ok: true, applied: textless })
  })

  it('carries only the documented fields', () => {
    const extra = { ...applied, secret: 'x', message: { ...applied.message, secret: 'y' }, participants: [{ userUuid: 'u', unreadCount: 1, secret: 'z' }] }
    expect(encodeAppliedConversation(extra)).not.toContain('secret')
  })

  it('refuses anything else, saying why', () => {
    const good = JSON.parse(encodeAppliedConversation(applied))
    const cases: Array<[unknown, RegExp]> = [
      ['not json', /not JSON/],
      [[], /not an object/],
      [{ ...good, v: 2 }, /version 2/],
      [{ ...good, v: undefined }, /version undefined/],
      [{ ...good, messageGroupUuid: 7 }, /messageGroupUuid/],
      [{ ...good, message: { ...good.message, sortKey: null } }, /message is malformed/],
      [{ ...good, message: { ...good.message, handle: 3 } }, /message is malformed/],
      [{ ...good, message: { ...good.message, message: 4 } }, /message is malformed/],
      [{ ...good, participants: {} }, /participants/],
      [{ ...good, participants: [{ userUuid: 'u', unreadCount: -1 }] }, /participants/],
      [{ ...good, participants: [{ userUuid: 'u', unreadCount: 1.5 }] }, /participants/],
      [{ ...good, participants: [{ userUuid: 'u', unreadCount: 1, lastReadSortKey: 5 }] }, /participants/]
    ]
    for (const [value, reason] of cases) {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      const decoded = decodeAppliedConversation(text)
      expect(decoded.ok, text).toBe(false)
      expect((decoded as { reason: string }).reason).toMatch(reason)
    }
    expect(decodeAppliedConversation(' '.repeat(MAX_EVENT_CHARS + 1))).toEqual({ ok: false, reason: expect.stringMatching(/longer than/) })
  })
})
