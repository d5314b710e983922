/** At most one warning in this window: a Redis outage must not flood the log, nor go unsaid. */
const WINDOW_MS = 60_000

/**
 * The default `onError` of the publisher and the subscriber: a `console.warn` the first time, then at most once a
 * minute, saying how many failures it did not show. Never the event itself (it holds message text).
 */
export function warnEventError(what: string, log: (text: string) => void = console.warn, now: () => number = Date.now): (error: unknown) => void {
  let until = 0
  let unshown = 0
  return (error) => {
    if (now() < until) {
      unshown++
      return
    }
    until = now() + WINDOW_MS
    const more = unshown ? ` (and ${unshown} more times since the last warning)` : ''
    unshown = 0
    log(`dynamo-messaging: ${what}${more}: ${describe(error)}`)
  }
}

function describe(error: unknown): string {
  try {
    return (error instanceof Error ? error.message : String(error)).slice(0, 200)
  } catch {
    return 'an unreadable error'
  }
}
