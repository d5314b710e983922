import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DEFAULT_TABLE_NAME } from 'dynamo-messaging'
import type { CognitoAuthOptions } from './auth.js'
import { DEFAULT_USERS_FILE } from './users.js'
import type { CacheConfig } from './cache.js'

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
 * Reads `PORT` (4567), `HOST` (127.0.0.1), `TABLE_NAME` (cruddur-messages), `DYNAMODB_ENDPOINT`, `AWS_REGION`,
 * `COGNITO_USER_POOL_ID` + `COGNITO_CLIENT_ID`, `USERS_FILE`, `STREAM_WORKER` (on|off; default on with an endpoint),
 * `LOG_LEVEL` (info), `FRONTEND_URL` and `BACKEND_URL` (CORS origins), `REDIS_URL` or `MOMENTO_API_KEY` (a cache; see
 * cache.ts), `DYNAMODB_MAX_ATTEMPTS` (3) and `DYNAMODB_TIMEOUT_MS` (1000). Throws on a contradiction rather than
 * starting half-configured.
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
  const cache = readCacheConfig(env)
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

/** `REDIS_URL` or `MOMENTO_API_KEY` (with `MOMENTO_ENDPOINT` for a v2 key), not both: a cache, or none. */
function readCacheConfig(env: NodeJS.ProcessEnv): CacheConfig | undefined {
  const redisUrl = env.REDIS_URL || undefined
  const momentoKey = env.MOMENTO_API_KEY || undefined
  if (redisUrl && momentoKey) throw new Error('Set REDIS_URL or MOMENTO_API_KEY, not both: the API and the stream must share one cache')
  if (redisUrl) {
    if (!/^rediss?:\/\//.test(redisUrl)) throw new Error(`REDIS_URL must be a redis:// or rediss:// URL, not ${redisUrl}`)
    return { kind: 'redis', url: redisUrl }
  }
  return momentoKey ? { kind: 'momento' } : undefined
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
