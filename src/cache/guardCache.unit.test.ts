import { describe, expect, it } from 'vitest'
import { BYPASS_AFTER_TIMEOUT_MS, guardCache } from './guardCache.js'
import type { MessagingCache } from './MessagingCache.js'

/** A cache whose every call answers what `answer` says, counting calls. */
function fake(answer: (call: string) => unknown) {
  const calls: string[] = []
  const cache = {
    getMany: (keys: readonly string[]) => (calls.push('getMany'), answer('getMany') ?? keys.map(() => null)),
    setMany: () => (calls.push('setMany'), answer('setMany')),
    setIfAbsent: (_key: string, value: string) => (calls.push('setIfAbsent'), answer('setIfAbsent') ?? value)
  } as unknown as MessagingCache
  return { cache, calls }
}

function setup(answer: (call: string) => unknown, timeoutMs = 20) {
  const reported: Array<[string, string, readonly string[]]> = []
  let clock = 0
  const { cache, calls } = fake(answer)
  const guarded = guardCache(cache, {
    timeoutMs,
    now: () => clock,
    onError: (error, operation, keys) => reported.push([(error as Error).name + ': ' + (error as Error).message, operation, keys])
  })
  return { guarded, calls, reported, advance: (ms: number) => (clock += ms) }
}

describe('guardCache', () => {
  it('passes answers through: null becomes undefined', async () => {
    const { guarded, reported } = setup(() => undefined)
    expect(await guarded.getMany(['a', 'b'])).toEqual([undefined, undefined])
    expect(await guarded.setMany([{ key: 'a', value: '1' }], 'fill')).toBe(true)
    expect(await guarded.setIfAbsent('v', 'token')).toBe('token')
    expect(reported).toEqual([])
  })

  it('turns a rejection, a synchronous throw or a broken answer into no answer, and reports each', async () => {
    const rejecting = setup(() => Promise.reject(new Error('ECONNRESET')))
    expect(await rejecting.guarded.getMany(['a'])).toBeUndefined()
    expect(await rejecting.guarded.setMany([{ key: 'v', value: 't' }], 'invalidate')).toBe(false)
    expect(await rejecting.guarded.setIfAbsent('v', 't')).toBeUndefined()
    expect(rejecting.reported).toEqual([
      ['Error: ECONNRESET', 'read', ['a']],
      ['Error: ECONNRESET', 'invalidate', ['v']],
      ['Error: ECONNRESET', 'read', ['v']]
    ])
    const throwing = setup(() => {
      throw new Error('sync')
    })
    expect(await throwing.guarded.getMany(['a'])).toBeUndefined()
    // A user's cache answering against the contract: a value per key, strings, a string from setIfAbsent.
    for (const broken of [['only one'], 'abc', [1, 2], {}]) {
      const { guarded, reported } = setup((call) => (call === 'getMany' ? broken : 42))
      expect(await guarded.getMany(['a', 'b'])).toBeUndefined()
      expect(await guarded.setIfAbsent('v', 't')).toBeUndefined()
      expect(reported.map(([error]) => error.split(':')[0])).toEqual(['TypeError', 'TypeError'])
    }
  })

  it('gives up after the timeout, then skips reads for a while, but still attempts every invalidation', async () => {
    const { guarded, calls, reported, advance } = setup(() => new Promise(() => {}), 20)
    const started = performance.now()
    expect(await guarded.getMany(['a'])).toBeUndefined()
    expect(performance.now() - started).toBeGreaterThanOrEqual(19)
    expect(reported).toEqual([['CacheTimeoutError: the cache did not answer a read within 20 ms', 'read', ['a']]])
    expect(await guarded.getMany(['a'])).toBeUndefined()
    expect(await guarded.setMany([{ key: 'p', value: 'x' }], 'fill')).toBe(false)
    expect(calls).toEqual(['getMany']) // skipped, and not reported again
    expect(await guarded.setMany([{ key: 'v', value: 't' }], 'invalidate')).toBe(false)
    expect(calls).toEqual(['getMany', 'setMany'])
    advance(BYPASS_AFTER_TIMEOUT_MS)
    await guarded.getMany(['a'])
    expect(calls).toEqual(['getMany', 'setMany', 'getMany'])
  })

  it('ignores an onError that throws', async () => {
    const guarded = guardCache(fake(() => Promise.reject(new Error('down'))).cache, {
      timeoutMs: 20,
      onError: () => {
        throw new Error('hook bug')
      }
    })
    expect(await guarded.getMany(['a'])).toBeUndefined()
  })
})
