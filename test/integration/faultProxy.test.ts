import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import {
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  type DynamoDBClient
} from '@aws-sdk/client-dynamodb'
import { localDynamoDbClient } from '../../src/local/index.js'
import { scanAll, testTable } from '../support/engine.js'
import { startFaultProxy } from '../support/faultProxy.js'
import { mulberry32 } from '../support/prng.js'

// The proxy's faults must reach the SDK as AWS's do: typed exceptions, retried by the SDK's own strategy.
const { client: direct, tableName } = await testTable('fault-proxy')
const proxy = await startFaultProxy({ target: inject('dynamodbEndpoint'), seed: 42 })
const clients: DynamoDBClient[] = []
/** A client through the proxy; `maxAttempts: 1` turns the SDK's retries off. */
const through = (maxAttempts: number) => {
  const client = localDynamoDbClient(proxy.endpoint, { maxAttempts })
  clients.push(client)
  return client
}
afterAll(async () => {
  for (const client of clients) client.destroy()
  await proxy.stop()
})
beforeEach(() => {
  proxy.setRules([])
  proxy.resetStats()
})

let n = 0
const put = (client: DynamoDBClient) =>
  client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: `PROXY#${++n}` }, sk: { S: 'x' } },
      ConditionExpression: 'attribute_not_exists(pk)'
    })
  )
const stored = async (pk: string) => (await direct.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: 'x' } }, ConsistentRead: true }))).Item

describe('fault proxy', () => {
  it('passes requests through to the engine untouched and counts them per operation', async () => {
    await put(through(1))
    expect(await stored(`PROXY#${n}`)).toBeDefined()
    expect(proxy.stats.requests).toEqual({ PutItem: 1 })
  })

  it('answers ProvisionedThroughputExceededException as AWS does: a typed 400 the SDK retries, nothing written', async () => {
    proxy.setRules([{ fault: 'throughput', operations: ['PutItem'] }])
    const error = await put(through(1)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException)
    expect((error as ProvisionedThroughputExceededException).$metadata.httpStatusCode).toBe(400)
    expect((await scanAll(direct, tableName)).map((item) => item.pk)).not.toContain(`PROXY#${n}`)

    proxy.setRules([{ fault: 'throughput', operations: ['PutItem'], times: 2 }])
    proxy.resetStats()
    await put(through(3)) // two throttles, then the SDK's third attempt reaches the engine
    expect(proxy.stats.requests.PutItem).toBe(3)
    expect(await stored(`PROXY#${n}`)).toBeDefined()
  })

  it('answers ThrottlingException with its real name', async () => {
    proxy.setRules([{ fault: 'throttling' }])
    const error = (await put(through(1)).catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } }
    expect(error.name).toBe('ThrottlingException')
    expect(error.$metadata.httpStatusCode).toBe(400)
  })

  it('answers 500 InternalServerError and 503, both retried by the SDK', async () => {
    proxy.setRules([{ fault: 'internal', operations: ['PutItem'] }])
    const internal = await put(through(1)).catch((e: unknown) => e)
    expect(internal).toBeInstanceOf(InternalServerError)
    proxy.setRules([{ fault: 'unavailable', operations: ['PutItem'] }])
    const unavailable = (await put(through(1)).catch((e: unknown) => e)) as { $metadata: { httpStatusCode: number } }
    expect(unavailable.$metadata.httpStatusCode).toBe(503)
    expect(await stored(`PROXY#${n - 1}`)).toBeUndefined()
    expect(await stored(`PROXY#${n}`)).toBeUndefined()

    proxy.setRules([
      { fault: 'internal', operations: ['PutItem'], times: 1 },
      { fault: 'unavailable', operations: ['PutItem'], times: 1 }
    ])
    proxy.resetStats()
    await put(through(3))
    expect(proxy.stats.faults).toEqual({ 'PutItem:internal': 1, 'PutItem:unavailable': 1 })
    expect(await stored(`PROXY#${n}`)).toBeDefined()
  })

  it('resets the connection: a network error without retries, a success after the SDK retries', async () => {
    proxy.setRules([{ fault: 'reset', operations: ['PutItem'], times: 1 }])
    const error = (await put(through(1)).catch((e: unknown) => e)) as NodeJS.ErrnoException
    expect(error).toBeInstanceOf(Error)
    expect(['ECONNRESET', 'EPIPE']).toContain(error.code)
    proxy.setRules([{ fault: 'reset', operations: ['PutItem'], times: 1 }])
    await put(through(2))
    expect(await stored(`PROXY#${n}`)).toBeDefined()
  })

  it('picks requests by their body and lets the first `after` through', async () => {
    const client = through(1)
    const second = `"PROXY#${n + 2}"`
    proxy.setRules([{ fault: 'internal', operations: ['PutItem'], match: (body) => JSON.stringify(body).includes(second) }])
    await put(client)
    await expect(put(client)).rejects.toBeInstanceOf(InternalServerError)
    await put(client)
    expect(proxy.stats.faults).toEqual({ 'PutItem:internal': 1 })

    proxy.setRules([{ fault: 'internal', operations: ['PutItem'], after: 2, times: 1 }])
    const outcomes: boolean[] = []
    for (let i = 0; i < 4; i++) outcomes.push(await put(client).then(() => true, () => false))
    expect(outcomes).toEqual([true, true, false, true])
  })

  it('loses an answer: the engine did the write, the client saw a network error (and a retry meets its own write)', async () => {
    proxy.setRules([{ fault: 'lostAnswer', operations: ['PutItem'], times: 1 }])
    const error = (await put(through(1)).catch((e: unknown) => e)) as NodeJS.ErrnoException
    expect(['ECONNRESET', 'EPIPE']).toContain(error.code)
    expect(await stored(`PROXY#${n}`)).toBeDefined()
    proxy.setRules([{ fault: 'lostAnswer', operations: ['PutItem'], times: 1 }])
    const retried = (await put(through(2)).catch((e: unknown) => e)) as Error
    expect(retried.name).toBe('ConditionalCheckFailedException') // the SDK's retry found the item its first try wrote
  })

  it('adds latency to the operations named, and only to them', async () => {
    proxy.setRules([{ fault: 'latency', operations: ['PutItem'], latencyMs: 400 }])
    const client = through(1)
    let started = Date.now()
    await put(client)
    expect(Date.now() - started).toBeGreaterThanOrEqual(390)
    started = Date.now()
    await stored(`PROXY#${n}`)
    await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'none' }, sk: { S: 'x' } } }))
    expect(Date.now() - started).toBeLessThan(390)
  })

  it('cuts all traffic for a period: requests fail fast, then pass again', async () => {
    const client = through(1)
    await put(client) // a kept-alive connection the cut must break too
    proxy.cut(1_000)
    const started = Date.now()
    await expect(put(client)).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(500)
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    await put(client)
    expect(await stored(`PROXY#${n}`)).toBeDefined()
  })

  it('draws rates from a seeded generator: the same seed repeats the same faults, at about the rate asked', async () => {
    const draws = (seed: number) => Array.from({ length: 2_000 }, mulberry32(seed))
    expect(draws(7)).toEqual(draws(7))
    expect(draws(7)).not.toEqual(draws(8))
    const rate = draws(7).filter((x) => x < 0.2).length / 2_000
    expect(rate).toBeGreaterThan(0.17)
    expect(rate).toBeLessThan(0.23)

    const run = async (seed: number) => {
      const seeded = await startFaultProxy({ target: inject('dynamodbEndpoint'), seed, rules: [{ fault: 'internal', rate: 0.5 }] })
      const client = localDynamoDbClient(seeded.endpoint, { maxAttempts: 1 })
      const outcomes: boolean[] = []
      for (let i = 0; i < 12; i++) outcomes.push(await put(client).then(() => true, () => false))
      client.destroy()
      await seeded.stop()
      return outcomes
    }
    const first = await run(3)
    expect(first).toContain(true)
    expect(first).toContain(false)
    expect(await run(3)).toEqual(first)
  })
})
