import { Validator } from '../validation/validate.js'
import type { MessagingCache } from './MessagingCache.js'
import { checkClient, checkPrefix, checkTtlSeconds } from './validateAdapterOptions.js'

/**
 * What a Momento call answers: `type` is `Hit`, `Miss`, `Success`, `Stored`, `NotStored` or `Error` (the SDK's
 * response enums), with the error's details on `Error`.
 *
 * @example
 * ```ts
 * const response: MomentoResponseLike = await client.setIfAbsent('cruddur', 'key', 'value', { ttl: 600 })
 * if (response.type === 'Error') console.warn(response.message?.())
 * ```
 */
export interface MomentoResponseLike {
  /** The response's kind. */
  readonly type: string
  /** Error responses: what went wrong. */
  message?(): string
  /** Error responses: the SDK's error (an `SdkError`). */
  innerException?(): unknown
  /** `Hit` of a get: the value. */
  value?(): string | undefined
  /** `Success` of a batch get: the values found, by key. */
  values?(): Record<string, string> | undefined
}

/**
 * The part of `@gomomento/sdk`'s `CacheClient` (its `ICacheClient` interface) that {@link momentoCache} uses; pass
 * the client itself. Declared here so that this package's types do not need the SDK installed.
 *
 * @example
 * ```ts
 * import { CacheClient, Configurations, CredentialProvider, ReadConcern } from '@gomomento/sdk'
 * const client: MomentoClientLike = new CacheClient({
 *   configuration: Configurations.InRegion.Default.latest().withReadConcern(ReadConcern.CONSISTENT),
 *   credentialProvider: CredentialProvider.fromEnvVarV2(),
 *   defaultTtlSeconds: 600
 * })
 * ```
 */
export interface MomentoClientLike {
  /** Several keys in one request. */
  getBatch(cacheName: string, keys: string[]): Promise<MomentoResponseLike>
  /** Several keys in one request, each with the TTL. */
  setBatch(cacheName: string, items: Record<string, string>, options: { ttl: number }): Promise<MomentoResponseLike>
  /** Stores unless the key exists: `Stored` or `NotStored`. */
  setIfAbsent(cacheName: string, key: string, value: string, options: { ttl: number }): Promise<MomentoResponseLike>
  /** One key. */
  get(cacheName: string, key: string): Promise<MomentoResponseLike>
}

/**
 * Options of {@link momentoCache}.
 *
 * @example
 * ```ts
 * const cache = momentoCache({ client, cacheName: 'cruddur', ttlSeconds: 600 })
 * ```
 */
export interface MomentoCacheOptions {
  /** A `@gomomento/sdk` `CacheClient`. */
  client: MomentoClientLike
  /** The cache (create it first: `momento cache create cruddur`). Default `MOMENTO_CACHE_NAME`, else `cruddur`. */
  cacheName?: string
  /** Seconds every key lives: 1 to 2 592 000. Default `MOMENTO_TTL_SECONDS`, else 600. */
  ttlSeconds?: number
  /** Put before every key: up to 128 characters, no `{` or `}`. Default `dm:`. */
  prefix?: string
}

/**
 * A {@link MessagingCache} on a Momento serverless cache through your `@gomomento/sdk` client (an optional peer
 * dependency: this package never imports it). Defaults follow the bootcamp: cache `MOMENTO_CACHE_NAME` or `cruddur`,
 * TTL `MOMENTO_TTL_SECONDS` or 600 s. Momento answers errors as responses rather than throwing; each one becomes a
 * failure, so the library reads DynamoDB instead and reports it through `onCacheError`.
 *
 * Configure the client with `ReadConcern.CONSISTENT`: a read must see a write that completed before it (a version
 * replaced by a write), which Momento's default `BALANCED` read concern does not promise.
 *
 * @example
 * ```ts
 * import { CacheClient, Configurations, CredentialProvider, ReadConcern } from '@gomomento/sdk'
 * import { createMessaging } from 'dynamo-messaging'
 * import { momentoCache } from 'dynamo-messaging/cache'
 *
 * const client = new CacheClient({
 *   configuration: Configurations.InRegion.Default.latest().withReadConcern(ReadConcern.CONSISTENT),
 *   credentialProvider: CredentialProvider.fromEnvVarV2(),
 *   defaultTtlSeconds: 600
 * })
 * const messaging = createMessaging({ client: dynamoDb, tableName: 'cruddur-messages', cache: momentoCache({ client }) })
 * ```
 */
export function momentoCache(options: MomentoCacheOptions): MessagingCache {
  const check = new Validator()
  const fields = check.object('options', options)
  const client = checkClient<MomentoClientLike>(
    check,
    fields.client,
    ['getBatch', 'setBatch', 'setIfAbsent', 'get'],
    'a @gomomento/sdk CacheClient'
  )
  const cacheName = fields.cacheName ?? (process.env.MOMENTO_CACHE_NAME || 'cruddur')
  if (typeof cacheName !== 'string' || cacheName === '') check.invalid('cacheName', 'must be a non-empty string')
  const ttlSeconds =
    fields.ttlSeconds === undefined && process.env.MOMENTO_TTL_SECONDS
      ? checkTtlSeconds(check, 'MOMENTO_TTL_SECONDS', Number(process.env.MOMENTO_TTL_SECONDS))
      : checkTtlSeconds(check, 'ttlSeconds', fields.ttlSeconds)
  const prefix = checkPrefix(check, fields.prefix)
  check.done()
  const name = cacheName as string
  return {
    async getMany(keys) {
      const values = answer(await client.getBatch(name, keys.map((key) => prefix + key)), ['Success']).values?.() ?? {}
      return keys.map((key) => values[prefix + key])
    },
    async setMany(entries) {
      const items = Object.fromEntries(entries.map(({ key, value }) => [prefix + key, value]))
      answer(await client.setBatch(name, items, { ttl: ttlSeconds }), ['Success'])
    },
    async setIfAbsent(key, value) {
      const set = answer(await client.setIfAbsent(name, prefix + key, value, { ttl: ttlSeconds }), ['Stored', 'NotStored'])
      if (set.type === 'Stored') return value
      const stored = answer(await client.get(name, prefix + key), ['Hit', 'Miss']).value?.()
      if (stored === undefined) throw new Error('Momento no longer holds a key it refused to overwrite')
      return stored
    }
  }
}

/** The response when it is one of `expected`; an error response (or anything else) thrown as an `Error`. */
function answer(response: MomentoResponseLike, expected: readonly string[]): MomentoResponseLike {
  if (expected.includes(response?.type)) return response
  if (response?.type === 'Error') {
    const inner = response.innerException?.()
    throw inner instanceof Error ? inner : new Error(`Momento error: ${response.message?.() ?? 'unknown'}`)
  }
  throw new Error(`Momento answered ${String(response?.type)}, expected ${expected.join(' or ')}`)
}
