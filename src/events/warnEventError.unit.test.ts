import { expect, it } from 'vitest'
import { warnEventError } from './warnEventError.js'

it('warns at once, then at most once a minute, counting what it did not show', () => {
  const lines: string[] = []
  let now = 0
  const warn = warnEventError('publish failed', (line) => lines.push(line), () => now)
  warn(new Error('ECONNREFUSED'))
  warn(new Error('again'))
  now = 59_999
  warn('still')
  expect(lines).toEqual(['dynamo-messaging: publish failed: ECONNREFUSED'])
  now = 60_000
  warn(new Error('back'))
  expect(lines[1]).toBe('dynamo-messaging: publish failed (and 2 more times since the last warning): back')
  const unreadable = { toString: () => { throw new Error('no') } }
  now = 200_000
  warn(unreadable)
  expect(lines[2]).toBe('dynamo-messaging: publish failed: an unreadable error')
})
