// The API's side of the load and fault harness: idempotent POST /api/messages with a client-chosen `message_id`, and
// 503 `service_unavailable` with `Retry-After` (never a 500, never a hang) when DynamoDB throttles, fails or is out of
// reach after the SDK's retries. The server's DynamoDB client is the one config.ts builds, as in production.
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { encodeTime, ulid } from 'ulid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { createMessaging } from 'dynamo-messaging'
import { devAuth } from '../../examples/api-server/src/auth.js'
import { buildServer } from '../../examples/api-server/src/buildServer.js'
import { dynamoDbClient, readConfig, type DynamoDbTimeouts } from '../../examples/api-server/src/config.js'
import { loadUserDirectory } from '../../examples/api-server/src/users.js'
import { engineClient, scanAll } from '../support/engine.js'
import { awsError, injectFaults, type FaultRule } from '../support/faults.js'
import { callFor, startTestApi, type TestApi } from './support.js'

const SERVER_DEFAULTS: DynamoDbTimeouts = readConfig({}).dynamoDb
// Against the engine: the server's attempts, with a timeout no busy CI machine reaches, so that only the injected
// faults decide how many attempts a request takes.
const AGAINST_ENGINE: DynamoDbTimeouts = { ...SERVER_DEFAULTS, timeoutMs: 10_000 }
const serverClient = (endpoint: string, dynamoDb = SERVER_DEFAULTS) => dynamoDbClient({ endpoint, region: 'local', dynamoDb }, {})

let api: TestApi
/** The suite's own client, for checking the table whatever the server's client is going through. */
const admin = engineClient()
let adaBen: string
/** The fault the rule in force injects into each attempt of the server's DynamoDB requests. */
let rule: FaultRule = () => undefined
const attempts: string[] = []

beforeAll(async () => {
  api = await startTestApi('api-resilience', { client: serverClient(inject('dynamodbEndpoint'), AGAINST_ENGINE) })
  injectFaults(
    api.client,
    (name, input) => {
      attempts.push(name)
      return rule(name, input)
    },
    { perAttempt: true }
  )
  const started = await api.call('POST', '/api/messages', { as: 'ada', body: { message: 'Hi Ben', handle: 'ben' } })
  adaBen = started.body.message_group_uuid
})
afterAll(async () => {
  await api?.close()
  admin.destroy()
})

const reply = (text: string, messageId?: string) => ({
  as: 'ben',
  body: { message: text, message_group_uuid: adaBen, ...(messageId !== undefined && { message_id: messageId }) }
})

/** The message items in the table (conversation rows carry their last message's text too). */
const storedMessages = async () => (await scanAll(admin, api.tableName)).filter((item) => String(item.pk).startsWith('MSG#'))

/** Runs `action` with `fault` injected, counting the attempts the server made. */
async function withFault<T>(fault: FaultRule, action: () => Promise<T>): Promise<{ result: T; attempts: string[] }> {
  attempts.length = 0
  rule = fault
  try {
    const result = await action()
    return { result, attempts: [...attempts] }
  } finally {
    rule = () => undefined
  }
}

describe('POST /api/messages with message_id', () => {
  it('answers a retry as the first send, 200 with the same message, and stores it once', async () => {
    const messageId = ulid()
    const first = await api.call('POST', '/api/messages', reply('exactly once', messageId))
    expect(first.status).toBe(200)
    const retry = await api.withoutWrites(() => api.call('POST', '/api/messages', reply('exactly once', messageId)))
    expect(retry.status).toBe(200)
    expect(retry.body).toEqual(first.body)
    const stored = (await storedMessages()).filter((item) => item.message === 'exactly once')
    expect(stored).toHaveLength(1)
    expect(first.body.sort_key).toBe(`${first.body.created_at}#${messageId}`)
  })

  it('starting a conversation by handle is idempotent too', async () => {
    const messageId = ulid()
    const body = { message: 'Hi Dana', handle: 'dana', message_id: messageId }
    const first = await api.call('POST', '/api/messages', { as: 'cleo', body })
    const retry = await api.withoutWrites(() => api.call('POST', '/api/messages', { as: 'cleo', body }))
    expect([first.status, retry.status]).toEqual([200, 200])
    expect(retry.body).toEqual(first.body)
  })

  it('answers 409 message_id_conflict for the id reused with other text, and writes nothing', async () => {
    const messageId = ulid()
    expect((await api.call('POST', '/api/messages', reply('one text', messageId))).status).toBe(200)
    const conflict = await api.withoutWrites(() => api.call('POST', '/api/messages', reply('another text', messageId)))
    expect(conflict).toMatchObject({ status: 409, body: { errors: ['message_id_conflict'] } })
  })

  it('answers 422 for an id that is not a ULID or is dated ahead, with the other issues, and writes nothing', async () => {
    const bad = await api.withoutWrites(() => api.call('POST', '/api/messages', reply('', 'not-a-ulid')))
    expect(bad).toMatchObject({ status: 422, body: { errors: ['message_blank', 'message_id_invalid'] } })
    const ahead = `${encodeTime(Date.now() + 10 * 60_000, 10)}${ulid().slice(10)}` // a clock 10 minutes fast
    const future = await api.withoutWrites(() => api.call('POST', '/api/messages', reply('x', ahead)))
    expect(future).toMatchObject({ status: 422, body: { errors: ['message_id_in_future'] } })
  })

  it('a send whose answer was lost (a reset after DynamoDB stored it) is retried by the client without a duplicate', async () => {
    const messageId = ulid()
    // DynamoDB Local stores the Put; the connection then breaks on every attempt of it (the SDK's retries of the Put
    // fail their condition, then break too): the SDK gives up and the API answers 503.
    const reset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    const lost = await withFault(
      (name) => (name === 'PutItemCommand' ? { failAfter: reset() } : undefined),
      () => api.call('POST', '/api/messages', reply('answer lost', messageId))
    )
    expect(lost.result.status).toBe(503)
    expect(lost.attempts.filter((name) => name === 'PutItemCommand')).toHaveLength(3)
    expect((await storedMessages()).filter((item) => item.message === 'answer lost')).toHaveLength(1)
    const retry = await api.call('POST', '/api/messages', reply('answer lost', messageId))
    expect(retry.status).toBe(200)
    expect((await storedMessages()).filter((item) => item.message === 'answer lost')).toHaveLength(1)
  })
})

describe('a send without message_id', () => {
  it('whose first answer was lost is not a 500 when the SDK retries the Put: it finds the message stored, 200, once', async () => {
    let lose = 1
    const reset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    const { result, attempts } = await withFault(
      (name) => (name === 'PutItemCommand' && lose-- > 0 ? { failAfter: reset() } : undefined),
      () => api.call('POST', '/api/messages', reply('lost once'))
    )
    expect(result.status).toBe(200)
    expect(attempts.filter((name) => name === 'PutItemCommand')).toHaveLength(2) // the SDK's retry hit the taken key
    const stored = (await storedMessages()).filter((item) => item.message === 'lost once')
    expect(stored).toHaveLength(1)
    expect(result.body).toMatchObject({ uuid: stored[0]!.message_uuid, sort_key: stored[0]!.sk })
  })
})

describe('DynamoDB failing after the SDK retries: 503 service_unavailable with Retry-After', () => {
  const throttled = () => awsError('ProvisionedThroughputExceededException', { $fault: 'client', $metadata: { httpStatusCode: 400 } })
  const serverError = () => awsError('InternalServerError', { $metadata: { httpStatusCode: 500 } })

  it('throttling on every attempt: the SDK tries 3 times, then 503 with Retry-After: 1, nothing written', async () => {
    const { result, attempts } = await withFault(
      (name) => (name === 'PutItemCommand' ? { fail: throttled() } : undefined),
      () => api.withoutWrites(() => api.call('POST', '/api/messages', reply('throttled')))
    )
    expect(result).toMatchObject({ status: 503, body: { errors: ['service_unavailable'] } })
    expect(result.headers.get('retry-after')).toBe('1')
    expect(attempts.filter((name) => name === 'PutItemCommand')).toHaveLength(3)
  })

  it('throttling that the SDK retries through is no error: 200, stored once', async () => {
    let throttles = 2
    const { result, attempts } = await withFault(
      (name) => (name === 'PutItemCommand' && throttles-- > 0 ? { fail: throttled() } : undefined),
      () => api.call('POST', '/api/messages', reply('retried through'))
    )
    expect(result.status).toBe(200)
    expect(attempts.filter((name) => name === 'PutItemCommand')).toHaveLength(3)
    expect((await storedMessages()).filter((item) => item.message === 'retried through')).toHaveLength(1)
  })

  it('a 500 from DynamoDB on every attempt, on reads too: 503 with Retry-After: 3', async () => {
    for (const [method, path, options] of [
      ['POST', '/api/messages', reply('server error')],
      ['GET', `/api/messages/${adaBen}`, { as: 'ada' }],
      ['GET', '/api/message_groups', { as: 'ada' }]
    ] as const) {
      const { result } = await withFault(() => ({ fail: serverError() }), () => api.call(method, path, options))
      expect(result).toMatchObject({ status: 503, body: { errors: ['service_unavailable'] } })
      expect(result.headers.get('retry-after')).toBe('3')
    }
  })

  it('a transaction DynamoDB cancelled for throttling (starting a conversation) is a 503 too', async () => {
    const cancelled = () =>
      awsError('TransactionCanceledException', {
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]
      })
    const { result } = await withFault(
      (name) => (name === 'TransactWriteItemsCommand' ? { fail: cancelled() } : undefined),
      () => api.withoutWrites(() => api.call('POST', '/api/messages', { as: 'dana', body: { message: 'hi', handle: 'ben' } }))
    )
    expect(result).toMatchObject({ status: 503, body: { errors: ['service_unavailable'] } })
    expect(result.headers.get('retry-after')).toBe('1')
  })

  it('an error that is no outage stays a 500 internal_error', async () => {
    const { result } = await withFault(
      () => ({ fail: awsError('ValidationException', { $fault: 'client', $metadata: { httpStatusCode: 400 } }) }),
      () => api.call('GET', '/api/message_groups', { as: 'ada' })
    )
    expect(result).toMatchObject({ status: 500, body: { errors: ['internal_error'] } })
    expect(result.headers.get('retry-after')).toBeNull()
  })
})

describe('DynamoDB out of reach: each request ends with a 503', () => {
  /** The API on a client for `endpoint`, where no table can be made: requests only. */
  async function apiAgainst(endpoint: string, dynamoDb?: DynamoDbTimeouts) {
    const client = serverClient(endpoint, dynamoDb)
    const logs: Array<{ level: number; msg: string; outage?: string }> = []
    const logger = { level: 'warn', stream: { write: (line: string) => void logs.push(JSON.parse(line)) } }
    const server = buildServer({ messaging: createMessaging({ client }), users: await loadUserDirectory(), auth: devAuth(), logger })
    const call = callFor(await server.listen({ port: 0, host: '127.0.0.1' }))
    return {
      call,
      logs,
      async close() {
        await server.close()
        client.destroy()
      }
    }
  }

  /** A TCP port that was free a moment ago and is closed now: connections to it are refused. */
  async function closedPort(): Promise<number> {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise((resolve) => server.close(resolve))
    return port
  }

  it('a closed port (DynamoDB down): 503 with Retry-After for writes and reads', { timeout: 20_000 }, async () => {
    const down = await apiAgainst(`http://127.0.0.1:${await closedPort()}`)
    try {
      for (const [method, path, options] of [
        ['POST', '/api/messages', { as: 'ben', body: { message: 'anyone there?', message_group_uuid: adaBen } }],
        ['GET', '/api/message_groups', { as: 'ada' }]
      ] as const) {
        const answer = await down.call(method, path, options)
        expect(answer).toMatchObject({ status: 503, body: { errors: ['service_unavailable'] } })
        expect(answer.headers.get('retry-after')).toBe('3')
      }
      // Each outage is logged (warn), never as an unhandled error.
      const outages = down.logs.filter((line) => line.msg === 'DynamoDB unavailable after retries')
      expect(outages.map((line) => [line.level, line.outage])).toEqual([[40, 'unavailable'], [40, 'unavailable']])
      expect(down.logs.filter((line) => line.msg === 'unhandled error')).toEqual([])
    } finally {
      await down.close()
    }
  })

  it('an endpoint that accepts connections and never answers (traffic cut): 503, not a hang', { timeout: 20_000 }, async () => {
    const sockets = new Set<Socket>()
    const silent: Server = createServer((socket) => void sockets.add(socket)) // reads nothing, answers nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    // Shorter than the server's default (1 s × 3 attempts) to keep the test quick; the mechanism is the same.
    const cut = await apiAgainst(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, { maxAttempts: 2, timeoutMs: 500 })
    try {
      const answer = await cut.call('GET', '/api/message_groups', { as: 'ada' })
      expect(answer).toMatchObject({ status: 503, body: { errors: ['service_unavailable'] } })
      expect(sockets.size).toBeGreaterThan(0) // it did reach the silent endpoint
    } finally {
      await cut.close()
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})
