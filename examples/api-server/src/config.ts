import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DEFAULT_TABLE_NAME } from 'dynamo-messaging'
import type { CognitoAuthOptions } from './auth.js'
import { DEFAULT_USERS_FILE } from './users.js'
import type { CacheConfig } from './cache.js'
import type { RedisConfig } from './redis.js'
import { STREAM_TOKEN_SECRET_MIN_BYTES } from './events/streamToken.js'

/** Everything the server reads from the environment, checked once at start-up. */
export interface ApiConfig {
  port: number
  host: string
  tableName: string
  /** DynamoDB endpoint (DynamoDB Local); absent means AWS. */
  endpoint?: string
  region?: string
  /** Absent means dev auth (`Bearer dev:<handle>`). */
  cognito?: CognitoAuthOptions
  usersFile: string | URL
  /** Run Pattern D from the table's stream in this process (DynamoDB Local has no Lambda to do it). */
  streamWorker: boolean
  logLevel: string
  /** Browser origins allowed by CORS: `FRONTEND_URL` and `BACKEND_URL`, as the Flask app allows them. */
  corsOrigins: string[]
  /** Where Patterns A and B are cached: Redis (`REDIS_URL`) or Momento (`MOMENTO_API_KEY`); none by default. */
  cache?: CacheConfig
  /** `REDIS_URL` and `REDIS_CLUSTER`: the Redis of the cache and of live events. */
  redis?: RedisConfig
  /**
   * Live events (`/api/events`): `redis` (with `REDIS_URL`: whatever runs Pattern D publishes, every instance
   * delivers), `local` (this process's stream worker feeds this process's streams), or `off` (`EVENTS=off`, or nothing
   * to feed them).
   */
  events: 'redis' | 'local' | 'off'
  /** `STREAM_TOKEN_SECRET`: signs stream tokens so that every instance sharing it accepts them. */
  streamTokenSecret?: string
  /** What one client, or all of them, may hold of this server. */
  limits: ServerLimits
  /** How long and how often the DynamoDB client tries each request, so that an outage fails fast. */
  dynamoDb: DynamoDbTimeouts
}

/**
 * The DynamoDB client's patience. The SDK has no request timeout by default: an endpoint that accepts connections but
 * never answers would hold every API request open forever. With these, each DynamoDB call ends within about
 * `maxAttempts × timeoutMs` plus the SDK's back-off (under 4 s by default, far less when the port is closed), and
 * the API answers 503 `service_unavailable`.
 */
export interface DynamoDbTimeouts {
  /** Attempts of each request, the SDK's retries included (`DYNAMODB_MAX_ATTEMPTS`, default 3, the SDK's own). */
  maxAttempts: number
  /** Longest wait for one attempt's answer, in ms (`DYNAMODB_TIMEOUT_MS`, default 1000). */
  timeoutMs: number
}

/**
 * What one client, or all of them together, may hold of one server: time to send a request, connections, open event
 * streams and the data waiting to reach a stream's client.
 */
export interface ServerLimits {
  /** `REQUEST_TIMEOUT_MS` (30 000): longest time to receive a whole request, body included. Not the event stream's life. */
  requestTimeoutMs: number
  /** `HEADERS_TIMEOUT_MS` (10 000, at most the request timeout): longest time to receive a request's headers. */
  headersTimeoutMs: number
  /** `MAX_CONNECTIONS` (2048): open connections; one more is closed at once, without an answer. */
  maxConnections: number
  /** `MAX_EVENT_STREAMS` (1000): open event streams on this server, all users; one more is a 503. */
  maxEventStreams: number
  /** `MAX_EVENT_STREAMS_PER_USER` (5): open event streams of one user on this server; one more is a 429. */
  maxEventStreamsPerUser: number
  /** `EVENT_STREAM_BUFFER_BYTES` (65 536): unsent data a stream may hold before it is dropped (its client is not reading). */
  eventStreamBufferBytes: number
}

/** The limits when none is set: {@link ServerLimits}' defaults. */
export const DEFAULT_LIMITS: ServerLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  maxConnections: 2048,
  maxEventStreams: 1000,
  maxEventStreamsPerUser: 5,
  eventStreamBufferBytes: 64 * 1024
}

/**
 * Reads `PORT` (4567), `HOST` (127.0.0.1), `TABLE_NAME` (cruddur-messages), `DYNAMODB_ENDPOINT`, `AWS_REGION`,
 * `COGNITO_USER_POOL_ID` + `COGNITO_CLIENT_ID`, `USERS_FILE`, `STREAM_WORKER` (on|off; default on with an endpoint),
 * `LOG_LEVEL` (info), `FRONTEND_URL` and `BACKEND_URL` (CORS origins), `REDIS_URL` or `MOMENTO_API_KEY` (a cache; see
 * cache.ts), `DYNAMODB_MAX_ATTEMPTS` (3) and `DYNAMODB_TIMEOUT_MS` (1000), `REDIS_CLUSTER` (on|off: `REDIS_URL` is a
 * cluster's, as ElastiCache Serverless), `EVENTS` (on|off, default on), `STREAM_TOKEN_SECRET` and the
 * {@link ServerLimits}. Throws on a contradiction rather than starting half-configured.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const port = Number(env.PORT ?? 4567)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env.PORT}`)
  const endpoint = env.DYNAMODB_ENDPOINT || undefined
  const userPoolId = env.COGNITO_USER_POOL_ID || undefined
  const clientId = env.COGNITO_CLIENT_ID || undefined
  if (Boolean(userPoolId) !== Boolean(clientId)) {
    throw new Error('Set both COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID, or neither (dev auth)')
  }
  if (!userPoolId && env.NODE_ENV === 'production') {
    throw new Error('NODE_ENV=production without COGNITO_USER_POOL_ID/COGNITO_CLIENT_ID: refusing to start with dev auth')
  }
  const streamWorker = env.STREAM_WORKER ? env.STREAM_WORKER === 'on' : endpoint !== undefined
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint ? 'local' : undefined)
  const redis = readRedisConfig(env)
  const cache = readCacheConfig(env, redis)
  const events = readEvents(env, redis, streamWorker)
  const streamTokenSecret = env.STREAM_TOKEN_SECRET || undefined
  if (streamTokenSecret !== undefined && Buffer.byteLength(streamTokenSecret) < STREAM_TOKEN_SECRET_MIN_BYTES) {
    throw new Error(`STREAM_TOKEN_SECRET must be at least ${STREAM_TOKEN_SECRET_MIN_BYTES} bytes (e.g. \`openssl rand -base64 48\`)`)
  }
  if (events !== 'off' && !streamTokenSecret && env.NODE_ENV === 'production') {
    throw new Error('NODE_ENV=production with live events and no STREAM_TOKEN_SECRET: refusing to start (set it, the same on every instance, or EVENTS=off)')
  }
  return {
    port,
    host: env.HOST || '127.0.0.1',
    tableName: env.TABLE_NAME || DEFAULT_TABLE_NAME,
    ...(endpoint !== undefined && { endpoint }),
    ...(region !== undefined && { region }),
    ...(userPoolId && clientId && { cognito: { userPoolId, clientId } }),
    usersFile: env.USERS_FILE || DEFAULT_USERS_FILE,
    streamWorker,
    logLevel: env.LOG_LEVEL || 'info',
    corsOrigins: (['FRONTEND_URL', 'BACKEND_URL'] as const).flatMap((name) => (env[name] ? [originOf(name, env[name])] : [])),
    ...(cache && { cache }),
    ...(redis && { redis }),
    events,
    ...(streamTokenSecret && { streamTokenSecret }),
    limits: readLimits(env),
    dynamoDb: {
      maxAttempts: wholeNumber(env, 'DYNAMODB_MAX_ATTEMPTS', 3, { min: 1, max: 10 }),
      timeoutMs: wholeNumber(env, 'DYNAMODB_TIMEOUT_MS', 1000, { min: 100, max: 60_000 })
    }
  }
}

/** `env[name]` as a whole number in range, or `fallback` when unset. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, range: { min: number; max: number }): number {
  if (!env[name]) return fallback
  const value = Number(env[name])
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new Error(`${name} must be a whole number from ${range.min} to ${range.max}, not ${env[name]}`)
  }
  return value
}

/** The origin a browser sends for a URL (`https://example.com/app/` → `https://example.com`). */
function originOf(name: string, url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`${name} must be a URL such as http://localhost:3000, not ${url}`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL, not ${url}`)
  return parsed.origin
}

/** `REDIS_URL` (`redis://`, or `rediss://` for TLS) and whether it is a cluster's (`REDIS_CLUSTER`). */
function readRedisConfig(env: NodeJS.ProcessEnv): RedisConfig | undefined {
  const url = env.REDIS_URL || undefined
  const cluster = onOff(env, 'REDIS_CLUSTER', false)
  if (!url) {
    if (cluster) throw new Error('REDIS_CLUSTER=on needs REDIS_URL')
    return undefined
  }
  if (!/^rediss?:\/\/[^/]/.test(url)) throw new Error(`REDIS_URL must be a redis:// or rediss:// URL, not ${url.replace(/\/\/[^@/]*@/, '//')}`)
  return { url, cluster }
}

/** `REDIS_URL` or `MOMENTO_API_KEY` (with `MOMENTO_ENDPOINT` for a v2 key), not both: a cache, or none. */
function readCacheConfig(env: NodeJS.ProcessEnv, redis: RedisConfig | undefined): CacheConfig | undefined {
  const momentoKey = env.MOMENTO_API_KEY || undefined
  if (redis && momentoKey) throw new Error('Set REDIS_URL or MOMENTO_API_KEY, not both: the API and the stream must share one cache')
  if (redis) return { kind: 'redis', redis }
  return momentoKey ? { kind: 'momento' } : undefined
}

/** `EVENTS` (on by default): through Redis when there is one, else from this process's stream worker, else off. */
function readEvents(env: NodeJS.ProcessEnv, redis: RedisConfig | undefined, streamWorker: boolean): ApiConfig['events'] {
  const wanted = onOff(env, 'EVENTS', true)
  if (!wanted) return 'off'
  if (redis) return 'redis'
  if (streamWorker) return 'local'
  if (env.EVENTS) throw new Error('EVENTS=on needs REDIS_URL (events from any worker or the stream Lambda) or STREAM_WORKER=on')
  return 'off'
}

function readLimits(env: NodeJS.ProcessEnv): ServerLimits {
  const requestTimeoutMs = wholeNumber(env, 'REQUEST_TIMEOUT_MS', DEFAULT_LIMITS.requestTimeoutMs, { min: 100, max: 600_000 })
  const headersTimeoutMs = wholeNumber(env, 'HEADERS_TIMEOUT_MS', Math.min(DEFAULT_LIMITS.headersTimeoutMs, requestTimeoutMs), { min: 100, max: 600_000 })
  if (headersTimeoutMs > requestTimeoutMs) throw new Error('HEADERS_TIMEOUT_MS must not be above REQUEST_TIMEOUT_MS: the headers are part of the request')
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    maxConnections: wholeNumber(env, 'MAX_CONNECTIONS', DEFAULT_LIMITS.maxConnections, { min: 1, max: 1_000_000 }),
    maxEventStreams: wholeNumber(env, 'MAX_EVENT_STREAMS', DEFAULT_LIMITS.maxEventStreams, { min: 1, max: 1_000_000 }),
    maxEventStreamsPerUser: wholeNumber(env, 'MAX_EVENT_STREAMS_PER_USER', DEFAULT_LIMITS.maxEventStreamsPerUser, { min: 1, max: 1000 }),
    eventStreamBufferBytes: wholeNumber(env, 'EVENT_STREAM_BUFFER_BYTES', DEFAULT_LIMITS.eventStreamBufferBytes, { min: 1024, max: 64 * 1024 * 1024 })
  }
}

/** `env[name]` as `on` or `off`, or `fallback` when unset. */
function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]
  if (!value) return fallback
  if (value !== 'on' && value !== 'off') throw new Error(`${name} must be on or off, not ${value}`)
  return value === 'on'
}

/**
 * The server's one DynamoDB client, built here only: the endpoint (DynamoDB Local, or a fault proxy in front of it),
 * the attempts and timeouts that make an outage fail fast. DynamoDB Local accepts any credentials, so it gets dummy
 * ones if none are set.
 */
export function dynamoDbClient(
  config: Pick<ApiConfig, 'region' | 'endpoint' | 'dynamoDb'>,
  env: NodeJS.ProcessEnv = process.env
): DynamoDBClient {
  const dummyCredentials = config.endpoint !== undefined && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE
  const { maxAttempts, timeoutMs } = config.dynamoDb
  return new DynamoDBClient({
    ...(config.region !== undefined && { region: config.region }),
    ...(config.endpoint !== undefined && { endpoint: config.endpoint }),
    ...(dummyCredentials && { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    maxAttempts,
    // NodeHttpHandler's options: a refused or silent endpoint ends each attempt instead of hanging. Without
    // `throwOnRequestTimeout` an exceeded `requestTimeout` only logs a warning.
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true }
  })
}
