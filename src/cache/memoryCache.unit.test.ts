import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/ValidationError.js'
import { memoryCache } from './memoryCache.js'
import { redisCache } from './redisCache.js'

describe('memoryCache', () => {
  it('keeps the most recent maxEntries, and setIfAbsent keeps the first value', async () => {
    const cache = memoryCache({ maxEntries: 2 })
    await cache.setMany([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' }
    ])
    await cache.getMany(['a']) // a is now the most recent
    await cache.setMany([{ key: 'c', value: '3' }])
    expect(await cache.getMany(['a', 'b', 'c'])).toEqual(['1', undefined, '3'])
    expect(await cache.setIfAbsent('c', 'other')).toBe('3')
    expect(await cache.setIfAbsent('d', '4')).toBe('4')
  })

  it('forgets entries after their TTL', async () => {
    const cache = memoryCache({ ttlSeconds: 1 })
    await cache.setMany([{ key: 'a', value: '1' }])
    await new Promise((resolve) => setTimeout(resolve, 1_050))
    expect(await cache.getMany(['a'])).toEqual([undefined])
  })
})

describe('the adapters check their options', () => {
  const codes = (run: () => unknown) => {
    try {
      run()
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError)
      return (error as ValidationError).issues.map((issue) => issue.code)
    }
    throw new Error('no ValidationError')
  }

  it('memoryCache: maxEntries and ttlSeconds', () => {
    expect(codes(() => memoryCache({ maxEntries: 0, ttlSeconds: Number('x') }))).toEqual(['max_entries_invalid', 'ttl_seconds_invalid'])
    expect(codes(() => memoryCache('big' as never))).toEqual(['options_missing'])
  })

  it('redisCache: a client with mget and multi, a prefix without braces, ttlSeconds', () => {
    expect(codes(() => redisCache({ client: {} as never, prefix: 'a{b}', ttlSeconds: 0 }))).toEqual([
      'client_invalid',
      'prefix_invalid',
      'ttl_seconds_invalid'
    ])
    expect(codes(() => redisCache(undefined as never))).toEqual(['options_missing', 'client_invalid'])
  })
})
