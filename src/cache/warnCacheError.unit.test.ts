import { describe, expect, it } from 'vitest'
import { warnCacheError } from './warnCacheError.js'

describe('warnCacheError', () => {
  it('warns at once, then at most once a minute per operation, counting what it did not show', () => {
    const lines: string[] = []
    let clock = 0
    const warn = warnCacheError((line) => lines.push(line), () => clock)
    warn(new Error('ECONNREFUSED'), 'read', ['k'])
    warn(new Error('ECONNREFUSED'), 'read', ['k'])
    warn(new Error('ECONNREFUSED'), 'invalidate', ['t:{g:1}:v'])
    clock = 59_999
    warn(new Error('ECONNREFUSED'), 'read', ['k'])
    clock = 60_000
    warn('not an error', 'read', ['k'])
    expect(lines).toEqual([
      'dynamo-messaging: cache read failed; read DynamoDB instead: ECONNREFUSED',
      'dynamo-messaging: cache invalidate failed; the write succeeded, but pages it changed may be served from the cache until their TTL (t:{g:1}:v): ECONNREFUSED',
      'dynamo-messaging: cache read failed (and 2 more times since the last warning); read DynamoDB instead: not an error'
    ])
  })
})
