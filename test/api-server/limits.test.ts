// What one client, or all of them, may hold of one server, and what the server answers outside its routes: the
// connection and stream caps, router and HTTP-level errors in the documented body (echoing nothing), stream tokens
// kept out of the logs, and the configuration of it all. In-process servers over real HTTP, DynamoDB Local, Redis.
import { connect } from 'node:net'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { Redis } from 'ioredis'
import { devAuth } from '../../examples/api-server/src/auth.js'
import { DEFAULT_LIMITS, readConfig } from '../../examples/api-server/src/config.js'
import { redactTokens } from '../../examples/api-server/src/logging.js'
import { startApiServer, type ApiServer } from '../../examples/api-server/src/startApiServer.js'
import { loadUserDirectory } from '../../examples/api-server/src/users.js'
import { createTestTable, dropTestTable, engineClient } from '../support/engine.js'
import { startRedisServer, type RedisServer } from '../support/redisServer.js'
import { callFor, openStream, streamTokenFor, until } from './support.js'

let client: DynamoDBClient
let tableName: string
beforeAll(async () => {
  client = engineClient()
  tableName = await createTestTable(client, 'api-limits')
})
afterAll(async () => {
  await dropTestTable(client, tableName)
  client.destroy()
})

const started: ApiServer[] = []
afterAll(() => Promise.all(started.map((api) => api.stop())))
async function start(options: Partial<Parameters<typeof startApiServer>[0]> = {}): Promise<ApiServer> {
  const api = await startApiServer({ client, tableName, users: await loadUserDirectory(), auth: devAuth(), port: 0, host: '127.0.0.1', streamWorker: false, events: 'off', ...options })
  started.push(api)
  return api
}

/** Sends `request` as raw bytes; resolves with everything the server answered once it closes (or after 3 s). */
function raw(url: string, request: string): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port: Number(new URL(url).port) })
  let answer = ''
  socket.on('data', (chunk) => void (answer += chunk.toString()))
  socket.on('error', () => {})
  socket.write(request)
  return new Promise((resolve) => {
    const timer = setTimeout(() => (socket.destroy(), resolve(answer)), 3_000)
    socket.once('close', () => (clearTimeout(timer), resolve(answer)))
  })
}

describe('router and framework errors', () => {
  it('answer { errors } and never echo the request', async () => {
    const api = await start()
    const call = callFor(api.url)
    const long = 'x'.repeat(300)
    const cases: Array<[string, number, string]> = [
      ['/api/messages/%zz', 400, 'bad_request'],
      [`/api/users/@${long}/short`, 414, 'url_too_long'],
      ['/api/users/@%zz<script>/short', 400, 'bad_request'],
      ['/api/nothing-here<script>', 404, 'not_found']
    ]
    for (const [path, status, code] of cases) {
      const response = await call('GET', path, { as: 'ada' })
      expect([path, response.status, response.body]).toEqual([path, status, { errors: [code] }])
    }
    // Below Fastify: HTTP that does not parse, headers past Node's limit. The same body, and the connection closed.
    const garbage = await raw(api.url, 'GET /<script> HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\r\n\r\n\{"errors":\["bad_request"\]\}$/)
    expect(garbage).not.toContain('script')
    const huge = await raw(api.url, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`)
    expect(huge).toMatch(/^HTTP\/1\.1 431 [\s\S]*\{"errors":\["headers_too_large"\]\}$/)
  })
})

describe('caps', () => {
  it('a connection past MAX_CONNECTIONS is closed at once; the others are served', async () => {
    const api = await start({ limits: { maxConnections: 3 } })
    const port = Number(new URL(api.url).port)
    const held = await Promise.all(Array.from({ length: 3 }, () => new Promise<ReturnType<typeof connect>>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket))
    })))
    await new Promise((resolve) => setTimeout(resolve, 100)) // the server has taken all three
    const fourth = await raw(api.url, 'GET /api/message_groups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer dev:ada\r\n\r\n')
    expect(fourth).toBe('')
    for (const socket of held) socket.destroy()
    await new Promise((resolve) => setTimeout(resolve, 200)) // the server sees them go
    expect((await callFor(api.url)('GET', '/api/message_groups', { as: 'ada' })).status).toBe(200)
  })

  it('a stream past MAX_EVENT_STREAMS is a 503 with Retry-After, whoever asks', async () => {
    const api = await start({ streamWorker: true, events: 'local', limits: { maxEventStreams: 2 } })
    const open = [await openStream(api.url, 'ada'), await openStream(api.url, 'ben')]
    const token = await streamTokenFor(api.url, 'cleo')
    const third = await callFor(api.url)('GET', `/api/events?token=${encodeURIComponent(token)}`)
    expect([third.status, third.body, third.headers.get('retry-after')]).toEqual([503, { errors: ['server_busy'] }, '5'])
    for (const each of open) each.close()
  })
})

describe('stream tokens in the logs', () => {
  it('the URL of /api/events is logged with its token redacted, at every level', async () => {
    const lines: string[] = []
    const stream = new Writable({ write: (chunk, _encoding, done) => (lines.push(chunk.toString()), done()) })
    const api = await start({ streamWorker: true, events: 'local', logger: { level: 'trace', stream } })
    const token = await streamTokenFor(api.url, 'ada')
    const opened = await openStream(api.url, 'ada', token)
    const refused = await callFor(api.url)('GET', `/api/events?token=${encodeURIComponent(token)}x&other=1`)
    expect(refused.status).toBe(401)
    opened.close()
    await until('the close to be logged', () => lines.some((line) => line.includes('event stream closed')))
    const log = lines.join('')
    expect(log).toContain('/api/events?token=[redacted]&other=1')
    expect(log).toContain('"msg":"event stream opened"')
    expect(log.includes(token.split('.')[1]!)).toBe(false)
    expect(log.includes(token.split('.')[0]!)).toBe(false)
  })

  it('redactTokens replaces every token parameter, and only that', () => {
    expect(redactTokens('/api/events?token=abc.def')).toBe('/api/events?token=[redacted]')
    expect(redactTokens('/api/events?a=1&TOKEN=abc&b=2#token=x')).toBe('/api/events?a=1&TOKEN=[redacted]&b=2#token=x')
    expect(redactTokens('/api/messages/123?limit=2&notatoken=1')).toBe('/api/messages/123?limit=2&notatoken=1')
  })
})

describe('events through Redis, in one process', () => {
  let redis: RedisServer
  beforeAll(async () => void (redis = await startRedisServer()))
  afterAll(() => redis?.stop())

  it('when the subscription comes back after Redis was away, open streams are ended so the pages reload', { timeout: 30_000 }, async () => {
    const subscriber = new Redis(redis.url, { retryStrategy: () => 100 })
    const publisher = new Redis(redis.url, { retryStrategy: () => 100, maxRetriesPerRequest: 1 })
    for (const each of [subscriber, publisher]) each.on('error', () => {})
    try {
      const api = await start({ events: { redis: { publisher, subscriber } } })
      const ada = await openStream(api.url, 'ada')
      await redis.stop()
      const again = await startRedisServer({ port: redis.port })
      redis = again
      expect(await Promise.race([ada.ended, new Promise((resolve) => setTimeout(() => resolve('still open'), 10_000))])).toBe('ended')
      // A new stream gets events again (published here as the worker or the stream Lambda would).
      const back = await openStream(api.url, 'ada')
      const { redisEventPublisher } = await import('../../src/events/index.js')
      const adaUuid = (await loadUserDirectory().then((users) => users.findByHandle('ada')))!.uuid
      await until('the publisher to be back', () => publisher.status === 'ready', 10_000)
      await redisEventPublisher({ client: publisher })({
        messageGroupUuid: 'g',
        message: { messageGroupUuid: 'g', sortKey: '2026-11-23T10:00:00.000000+00:00', message: 'after the gap' },
        participants: [{ userUuid: adaUuid, unreadCount: 1 }]
      })
      await until('the event on the new stream', () => back.events.length === 1)
      back.close()
    } finally {
      subscriber.disconnect()
      publisher.disconnect()
    }
  })
})

describe('readConfig: events, tokens and limits', () => {
  const secret = 's'.repeat(32)
  it('events go through Redis with REDIS_URL, come from the stream worker without, or are off', () => {
    expect(readConfig({}).events).toBe('off')
    expect(readConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000' }).events).toBe('local')
    expect(readConfig({ REDIS_URL: 'redis://cache:6379' }).events).toBe('redis')
    expect(readConfig({ REDIS_URL: 'redis://cache:6379', EVENTS: 'off' }).events).toBe('off')
    expect(readConfig({ REDIS_URL: 'rediss://cache:6379', REDIS_CLUSTER: 'on' }).redis).toEqual({ url: 'rediss://cache:6379', cluster: true })
    expect(() => readConfig({ EVENTS: 'on' })).toThrow(/EVENTS=on needs REDIS_URL/)
    expect(() => readConfig({ EVENTS: 'yes' })).toThrow(/EVENTS must be on or off/)
    expect(() => readConfig({ REDIS_CLUSTER: 'on' })).toThrow(/REDIS_CLUSTER=on needs REDIS_URL/)
  })

  it('STREAM_TOKEN_SECRET: at least 32 bytes; in production, required whenever events are on', () => {
    const production = { NODE_ENV: 'production', COGNITO_USER_POOL_ID: 'us-east-1_Abc', COGNITO_CLIENT_ID: 'c' }
    expect(readConfig({ STREAM_TOKEN_SECRET: secret }).streamTokenSecret).toBe(secret)
    expect(() => readConfig({ STREAM_TOKEN_SECRET: 's'.repeat(31) })).toThrow(/at least 32 bytes/)
    expect(readConfig({ STREAM_TOKEN_SECRET: 'é'.repeat(16) }).streamTokenSecret).toBe('é'.repeat(16)) // 32 bytes in UTF-8
    expect(() => readConfig({ ...production, REDIS_URL: 'redis://cache:6379' })).toThrow(/no STREAM_TOKEN_SECRET: refusing to start/)
    expect(() => readConfig({ ...production, DYNAMODB_ENDPOINT: 'http://localhost:8000' })).toThrow(/no STREAM_TOKEN_SECRET/)
    expect(readConfig({ ...production, REDIS_URL: 'redis://cache:6379', STREAM_TOKEN_SECRET: secret }).events).toBe('redis')
    expect(readConfig({ ...production, REDIS_URL: 'redis://cache:6379', EVENTS: 'off' }).events).toBe('off')
    expect(readConfig(production).events).toBe('off')
  })

  it('reads the limits, with their defaults, and refuses nonsense', () => {
    expect(readConfig({}).limits).toEqual(DEFAULT_LIMITS)
    expect(DEFAULT_LIMITS).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, maxConnections: 2048, maxEventStreams: 1000, maxEventStreamsPerUser: 5, eventStreamBufferBytes: 65_536 })
    expect(readConfig({ REQUEST_TIMEOUT_MS: '5000' }).limits).toMatchObject({ requestTimeoutMs: 5000, headersTimeoutMs: 5000 })
    expect(
      readConfig({ MAX_CONNECTIONS: '10', MAX_EVENT_STREAMS: '4', MAX_EVENT_STREAMS_PER_USER: '2', EVENT_STREAM_BUFFER_BYTES: '4096', HEADERS_TIMEOUT_MS: '500' }).limits
    ).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 500, maxConnections: 10, maxEventStreams: 4, maxEventStreamsPerUser: 2, eventStreamBufferBytes: 4096 })
    expect(() => readConfig({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' })).toThrow(/HEADERS_TIMEOUT_MS must not be above/)
    expect(() => readConfig({ MAX_EVENT_STREAMS_PER_USER: '0' })).toThrow(/MAX_EVENT_STREAMS_PER_USER/)
    expect(() => readConfig({ EVENT_STREAM_BUFFER_BYTES: '100' })).toThrow(/EVENT_STREAM_BUFFER_BYTES/)
  })
})
