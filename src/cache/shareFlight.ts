/**
 * Runs `run` once for concurrent callers of the same `key`: the first starts it, the others get its promise until it
 * settles. Within one process only.
 */
export function shareFlight<T>(flights: Map<string, Promise<unknown>>, key: string, run: () => Promise<T>): Promise<T> {
  const inFlight = flights.get(key)
  if (inFlight) return inFlight as Promise<T>
  const flight = run().finally(() => flights.delete(key))
  flights.set(key, flight)
  return flight
}
