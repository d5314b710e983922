/**
 * Waits before retry number `retry` (1 for the first): `baseDelayMs`, doubled at each retry, at most `maxDelayMs`.
 * With `random` (e.g. `Math.random`), a random half to all of that, so writers that collided once do not collide
 * again in step.
 */
export function backOff(retry: number, baseDelayMs: number, random?: () => number, maxDelayMs = Infinity): Promise<void> {
  const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1))
  const ms = random ? delay * (0.5 + random() / 2) : delay
  return new Promise((resolve) => setTimeout(resolve, ms))
}
