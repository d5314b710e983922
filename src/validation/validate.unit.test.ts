import { describe, expect, it } from 'vitest'
import { Validator } from './validate.js'
import { ValidationError } from '../errors/ValidationError.js'

const issuesOf = (run: (check: Validator) => void): string[] => {
  const check = new Validator()
  run(check)
  try {
    check.done()
    return []
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return (error as ValidationError).issues.map((issue) => `${issue.path}:${issue.code}`)
  }
}

describe('Validator', () => {
  it('trims message text and accepts 1 to 1024 characters, counting code points', () => {
    const check = new Validator()
    expect(check.messageText('message', '  hi  ')).toBe('hi')
    expect(check.messageText('message', '😀'.repeat(1024))).toHaveLength(2048)
    check.done()
  })

  it('reports blank, too long and control characters with Cruddur-style codes', () => {
    expect(issuesOf((c) => c.messageText('message', '   '))).toEqual(['message:message_blank'])
    expect(issuesOf((c) => c.messageText('message', 'x'.repeat(1025)))).toEqual(['message:message_exceed_max_chars_1024'])
    expect(issuesOf((c) => c.messageText('message', 'a\u0000b'))).toEqual(['message:message_invalid'])
    expect(issuesOf((c) => c.messageText('message', 'line\nbreak\ttab'))).toEqual([])
  })

  it('lists every problem at once, not only the last', () => {
    expect(
      issuesOf((c) => {
        c.uuid('sender.uuid', 'nope')
        c.handle('sender.handle', '')
        c.displayName('sender.displayName', ' ')
        c.messageText('message', '')
        c.limit('limit', 0)
      })
    ).toEqual([
      'sender.uuid:sender_uuid_invalid',
      'sender.handle:sender_handle_blank',
      'sender.displayName:sender_display_name_blank',
      'message:message_blank',
      'limit:limit_invalid'
    ])
  })

  it('lower-cases uuids and bounds handles, names and limits', () => {
    const check = new Validator()
    expect(check.uuid('u', '5AE290ED-55D1-47A0-BC6D-FE2BC2700399')).toBe('5ae290ed-55d1-47a0-bc6d-fe2bc2700399')
    expect(check.limit('limit', undefined)).toBe(20)
    expect(check.limit('limit', 100)).toBe(100)
    check.done()
    expect(issuesOf((c) => c.handle('h', 'a'.repeat(65)))).toEqual(['h:h_invalid'])
    expect(issuesOf((c) => c.handle('h', '-lead'))).toEqual(['h:h_invalid'])
    expect(issuesOf((c) => c.displayName('n', 'x'.repeat(129)))).toEqual(['n:n_exceed_max_chars_128'])
    expect(issuesOf((c) => c.limit('limit', 101))).toEqual(['limit:limit_invalid'])
    expect(issuesOf((c) => c.limit('limit', 1.5))).toEqual(['limit:limit_invalid'])
    expect(issuesOf((c) => c.object('sender', null))).toEqual(['sender:sender_missing'])
  })

  it('checks optional numbers, functions, enums and dates: undefined is the default, anything else bad is _invalid', () => {
    const check = new Validator()
    expect(check.integer('concurrency', undefined, { min: 1, max: 10 })).toBeUndefined()
    expect(check.integer('concurrency', 10, { min: 1, max: 10 })).toBe(10)
    expect(check.callback('now', undefined)).toBeUndefined()
    expect(check.oneOf('billing', 'on-demand', ['provisioned', 'on-demand'])).toBe('on-demand')
    check.done()
    for (const bad of [Number.NaN, Infinity, -Infinity, 0, 11, 2.5, '5', null, true, 10n]) {
      expect(issuesOf((c) => c.integer('concurrency', bad, { min: 1, max: 10 }))).toEqual(['concurrency:concurrency_invalid'])
    }
    expect(issuesOf((c) => c.integer('baseDelayMs', Number(undefined), { min: 0, max: 1 }))).toEqual(['baseDelayMs:base_delay_ms_invalid'])
    expect(issuesOf((c) => c.callback('onSkip', 'log'))).toEqual(['onSkip:on_skip_invalid'])
    expect(issuesOf((c) => c.oneOf('billing', 'ondemand', ['provisioned']))).toEqual(['billing:billing_invalid'])
    expect(issuesOf((c) => c.date('now', new Date(Number.NaN)))).toEqual(['now:now_invalid'])
    expect(issuesOf((c) => c.tableName('tableName', 'ab'))).toEqual(['tableName:table_name_invalid'])
    expect(issuesOf((c) => c.client('client', { send: 'no' }))).toEqual(['client:client_invalid'])
    expect(issuesOf((c) => c.endpoint('endpoint', 'ftp://x'))).toEqual(['endpoint:endpoint_invalid'])
  })
})
