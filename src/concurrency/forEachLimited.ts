/**
 * Runs `run` on every item, at most `limit` at a time, in order of start. Resolves when all have finished. A rejection
 * stops handing out items and rejects the call with it once the runs in flight have finished, so that nothing the call
 * started is still running when its caller sees the error (and, say, invalidates a cache).
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failure: { error: unknown } | undefined
  const worker = async () => {
    while (!failure && next < items.length) {
      try {
        await run(items[next++]!)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure) throw failure.error
}
