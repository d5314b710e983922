import { describe, expect, it } from 'vitest'
import { isThrottling } from './isThrottling.js'
import { retryThrottled } from './retryThrottled.js'

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra })

describe('isThrottling', () => {
  it('knows DynamoDB throttling by name, by the SDK retry hint, and in a cancelled transaction', () => {
    expect(isThrottling(named('ProvisionedThroughputExceededException'))).toBe(true)
    expect(isThrottling(named('ThrottlingException'))).toBe(true)
    expect(isThrottling(named('RequestLimitExceeded'))).toBe(true)
    expect(isThrottling(named('SomethingElse', { $retryable: { throttling: true } }))).toBe(true)
    expect(isThrottling(named('TransactionCanceledException', { CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }] }))).toBe(true)
  })

  it('is false for everything else', () => {
    for (const error of [
      named('ConditionalCheckFailedException'),
      named('TransactionCanceledException', { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] }),
      named('ResourceNotFoundException'),
      new Error('x'),
      null,
      'ThrottlingException'
    ]) {
      expect(isThrottling(error)).toBe(false)
    }
  })
})

describe('retryThrottled', () => {
  const fast = { baseDelayMs: 0, random: () => 0 }

  it('runs the attempt again while it is throttled, and returns its result', async () => {
    let calls = 0
    const retries: number[] = []
    const result = await retryThrottled(
      async () => {
        calls++
        if (calls < 4) throw named('ProvisionedThroughputExceededException')
        return 'done'
      },
      { ...fast, maxRetries: 5, onRetry: (_error, retry) => retries.push(retry) }
    )
    expect(result).toBe('done')
    expect(calls).toBe(4)
    expect(retries).toEqual([1, 2, 3])
  })

  it('gives up after maxRetries, and never retries another error', async () => {
    let calls = 0
    await expect(
      retryThrottled(async () => {
        calls++
        throw named('ThrottlingException')
      }, { ...fast, maxRetries: 2 })
    ).rejects.toThrow('ThrottlingException')
    expect(calls).toBe(3)
    calls = 0
    await expect(
      retryThrottled(async () => {
        calls++
        throw named('ValidationException')
      }, { ...fast, maxRetries: 5 })
    ).rejects.toThrow('ValidationException')
    expect(calls).toBe(1)
  })
})
