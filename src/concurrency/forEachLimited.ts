/**
 * Runs `run` on every item, at most `limit` at a time, in order of start. Resolves when all have finished; `run` is
 * expected to handle its own errors (a rejection rejects the whole call and stops handing out items).
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await run(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
