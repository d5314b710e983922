// An in-process stand-in for the Momento service behind the SDK's own ICacheClient interface (no Momento server runs
// here: its local server ships only as a container image). It answers with the SDK's own response classes, as the
// real client does: hits, misses, TTLs on a clock the test controls, and error responses (never exceptions).
import {
  CacheGet,
  CacheGetBatch,
  CacheNotFoundError,
  CacheSet,
  CacheSetBatch,
  CacheSetIfAbsent,
  ServerUnavailableError,
  type ICacheClient
} from '@gomomento/sdk'

type Entry = { value: string; expiresAt: number }
export type MomentoMethods = Pick<ICacheClient, 'get' | 'getBatch' | 'setBatch' | 'setIfAbsent'>

export class InProcessMomento implements MomentoMethods {
  /** What is stored, by cache and key: inspect TTLs and prefixes. */
  readonly caches = new Map<string, Map<string, Entry>>()
  /** Milliseconds; advance it to expire keys. */
  now = 0
  /** While true, every call answers an error response, as an unreachable service does. */
  unavailable = false
  /** Every call, by method name. */
  readonly calls: string[] = []

  constructor(
    cacheNames: string[],
    private readonly defaultTtlSeconds = 600
  ) {
    for (const name of cacheNames) this.caches.set(name, new Map())
  }

  private cache(name: string): Map<string, Entry> | undefined {
    return this.caches.get(name)
  }

  private fault(cacheName: string) {
    if (this.unavailable) return new ServerUnavailableError('14 UNAVAILABLE: No connection established')
    if (!this.cache(cacheName)) return new CacheNotFoundError(`cache ${cacheName} not found`)
    return undefined
  }

  private read(cacheName: string, key: string): string | undefined {
    const entry = this.cache(cacheName)!.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= this.now) {
      this.cache(cacheName)!.delete(key)
      return undefined
    }
    return entry.value
  }

  private write(cacheName: string, key: string, value: string, ttl: number | undefined) {
    this.cache(cacheName)!.set(key, { value, expiresAt: this.now + (ttl ?? this.defaultTtlSeconds) * 1000 })
  }

  async get(cacheName: string, key: string | Uint8Array): Promise<CacheGet.Response> {
    this.calls.push('get')
    const fault = this.fault(cacheName)
    if (fault) return new CacheGet.Error(fault)
    const value = this.read(cacheName, String(key))
    return value === undefined ? new CacheGet.Miss() : new CacheGet.Hit(new TextEncoder().encode(value))
  }

  async getBatch(cacheName: string, keys: Array<string | Uint8Array>): Promise<CacheGetBatch.Response> {
    this.calls.push('getBatch')
    const fault = this.fault(cacheName)
    if (fault) return new CacheGetBatch.Error(fault)
    const responses = keys.map((key) => {
      const value = this.read(cacheName, String(key))
      return value === undefined ? new CacheGet.Miss() : new CacheGet.Hit(new TextEncoder().encode(value))
    })
    return new CacheGetBatch.Success(responses, keys.map((key) => new TextEncoder().encode(String(key))))
  }

  async setBatch(
    cacheName: string,
    items: Record<string, string | Uint8Array> | Map<string | Uint8Array, string | Uint8Array> | Array<unknown>,
    options?: { ttl?: number }
  ): Promise<CacheSetBatch.Response> {
    this.calls.push('setBatch')
    const fault = this.fault(cacheName)
    if (fault) return new CacheSetBatch.Error(fault)
    const entries = Object.entries(items as Record<string, string>)
    for (const [key, value] of entries) this.write(cacheName, key, String(value), options?.ttl)
    return new CacheSetBatch.Success(entries.map(() => new CacheSet.Success()))
  }

  async setIfAbsent(
    cacheName: string,
    key: string | Uint8Array,
    value: string | Uint8Array,
    options?: { ttl?: number }
  ): Promise<CacheSetIfAbsent.Response> {
    this.calls.push('setIfAbsent')
    const fault = this.fault(cacheName)
    if (fault) return new CacheSetIfAbsent.Error(fault)
    if (this.read(cacheName, String(key)) !== undefined) return new CacheSetIfAbsent.NotStored()
    this.write(cacheName, String(key), String(value), options?.ttl)
    return new CacheSetIfAbsent.Stored()
  }
}
