// Shared set-up of the cache tests: the Redis the global setup provides (failing, never skipping, without one), and
// ioredis clients closed after the file's tests.
import { afterAll, inject } from 'vitest'
import { Redis, type RedisOptions } from 'ioredis'

/** The Redis of this run: `REDIS_URL` or the redis-server the global setup started. Throws why there is none. */
export function redisUrl(): string {
  const url = inject('redisUrl')
  if (!url) throw new Error(`No Redis for the cache tests: ${inject('redisProblem')}`)
  return url
}

/** An ioredis client of this run's Redis (or of `url`), disconnected after the file's tests. */
export function redisClient(url = redisUrl(), options: RedisOptions = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, ...options })
  client.on('error', () => {}) // an outage test expects connection errors: the library reports them, not ioredis
  afterAll(() => client.disconnect())
  return client
}

/** Every key under `pattern` in Redis, by SCAN. */
export async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    keys.push(...batch)
    cursor = next
  } while (cursor !== '0')
  return keys
}

/** Records what `onCacheError` is told. */
export function cacheErrors() {
  const seen: Array<{ error: unknown; operation: string; keys: readonly string[] }> = []
  return {
    seen,
    onCacheError: (error: unknown, operation: string, keys: readonly string[]) => void seen.push({ error, operation, keys }),
    operations: () => seen.map((entry) => entry.operation)
  }
}
