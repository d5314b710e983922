import { Option, type Command } from 'commander'
import type { CacheReadEvent } from '../cache/MessagingCache.js'
import type { MessagingOptions } from '../createMessaging.js'
import { importOptionalPeer } from '../local/importOptionalPeer.js'
import { parseUrl } from './connection.js'
import { plural } from './format.js'
import { note } from './output.js'

/** Adds `--redis-url` to a command that reads through the library, or (with its own description) writes. */
export function withCacheOption(
  command: Command,
  description = 'read through this Redis cache, as an API server sharing it would (needs ioredis)'
): Command {
  return command.addOption(new Option('--redis-url <url>', description).argParser(parseRedisUrl))
}

/** What a reading command gives `createMessaging`, a line of cache hits for its notes, and how to let go of Redis. */
export interface CliCache {
  options: Pick<MessagingOptions, 'cache' | 'onCacheError' | 'onCacheRead'>
  summary(): string | undefined
  close(): void
}

/**
 * The cache of `--redis-url`, if given: ioredis (an optional peer dependency) is loaded only then. Failures are noted
 * on stderr once each; the command still answers from DynamoDB.
 */
export async function openCliCache(redisUrl: string | undefined): Promise<CliCache> {
  if (!redisUrl) return { options: {}, summary: () => undefined, close: () => {} }
  const { Redis } = await importOptionalPeer(
    'ioredis',
    () => import('ioredis'),
    '--redis-url needs ioredis, an optional peer dependency of dynamo-messaging: run `npm install ioredis`.'
  )
  const { redisCache } = await import('../cache/redisCache.js')
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 })
  client.on('error', () => {}) // reported once through onCacheError below
  const counts = { hit: 0, miss: 0 }
  const failed = new Set<string>()
  return {
    options: {
      cache: redisCache({ client }),
      onCacheRead: (event: CacheReadEvent) => void counts[event.hit ? 'hit' : 'miss']++,
      onCacheError: (error, operation) => {
        if (failed.has(operation)) return
        failed.add(operation)
        note(`warning: cache ${operation} failed, read DynamoDB instead: ${error instanceof Error ? error.message : String(error)}`)
      }
    },
    summary: () => `cache ${redisUrl.replace(/\/\/[^@/]*@/, '//')}: ${plural(counts.hit, 'hit')}, ${plural(counts.miss, 'miss', 'misses')}`,
    close: () => client.disconnect()
  }
}

const parseRedisUrl = (value: string): string => parseUrl(value, ['redis:', 'rediss:'], 'redis://localhost:6379', 'a redis:// or rediss:// URL')
