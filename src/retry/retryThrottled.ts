import { backOff } from './backOff.js'
import { isThrottling } from './isThrottling.js'

/** How {@link retryThrottled} waits: exponential back-off with jitter, capped. */
export interface ThrottleRetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number
  /** First pause in milliseconds, doubled at each retry. */
  baseDelayMs: number
  /** Longest pause in milliseconds. Default 20 000. */
  maxDelayMs?: number
  /** Jitter source, `Math.random` by default. */
  random?: () => number
  /** Told of each throttled attempt before the pause. */
  onRetry?: (error: unknown, retry: number) => void
}

/**
 * Runs `attempt` again while DynamoDB throttles it ({@link isThrottling}), pausing longer each time, so a job on a
 * small provisioned table slows down instead of failing. Any other error, or throttling past `maxRetries`, is thrown.
 * `attempt` must be safe to repeat (every write of the maintenance commands is conditional).
 */
export async function retryThrottled<T>(attempt: () => Promise<T>, options: ThrottleRetryOptions): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt()
    } catch (error) {
      if (!isThrottling(error) || retry >= options.maxRetries) throw error
      options.onRetry?.(error, retry + 1)
      await backOff(retry + 1, options.baseDelayMs, options.random ?? Math.random, options.maxDelayMs ?? 20_000)
    }
  }
}
