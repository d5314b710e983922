// startDynamoDbLocal must only ever hand out the endpoint of the Java process it started: whatever else answers on the
// port (another DynamoDB Local, any server) is refused, and a port that is taken is an error, not a success.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { startDynamoDbLocal } from '../../src/local/index.js'
import { ownOrigin, waitForOwnDynamoDbLocal } from '../../src/local/waitForOwnDynamoDbLocal.js'
import { descendants } from '../support/processes.js'

/** A server that answers every request as an empty DynamoDB Local would, allowing whichever origin asks. */
async function fakeDynamoDb(): Promise<{ port: number; endpoint: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0
  const server: Server = createServer((request, response) => {
    requests++
    request.resume().on('end', () =>
      response
        .writeHead(200, {
          'content-type': 'application/x-amz-json-1.0',
          ...(request.headers.origin && { 'access-control-allow-origin': request.headers.origin })
        })
        .end('{"TableNames":[]}')
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

let fake: Awaited<ReturnType<typeof fakeDynamoDb>> | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('startDynamoDbLocal', () => {
  it('rejects a port where something else already answers, and leaves no Java behind', async () => {
    fake = await fakeDynamoDb()
    const { port } = fake
    await expect(startDynamoDbLocal({ port, timeoutMs: 60_000 })).rejects.toThrow(
      new RegExp(`^port ${port} is already in use: DynamoDB Local could not listen on it\\n`)
    )
    expect(fake.requests()).toBeGreaterThan(0) // it was asked, and not believed
    const javaOnPort = descendants(process.pid).filter((row) => row.args.includes('DynamoDBLocal') && row.args.includes(`-port ${port}`))
    expect(javaOnPort).toEqual([])
  })
})

describe('waitForOwnDynamoDbLocal', () => {
  const wait = (endpoint: string) =>
    waitForOwnDynamoDbLocal(endpoint, ownOrigin(), { timeoutMs: 1_500, signal: new AbortController().signal })

  it('does not take another DynamoDB Local for its own', async () => {
    await expect(wait(inject('dynamodbEndpoint'))).rejects.toThrow(/^another process answers at .*, not the DynamoDB Local started here/)
  })

  it('does not take a server that allows every origin for its own', async () => {
    fake = await fakeDynamoDb()
    await expect(wait(fake.endpoint)).rejects.toThrow(/^another process answers at .*, not the DynamoDB Local started here/)
  })

  it('says nothing answered when nothing listens', async () => {
    fake = await fakeDynamoDb()
    const { endpoint } = fake
    await fake.close()
    fake = undefined
    await expect(wait(endpoint)).rejects.toThrow(/^DynamoDB Local did not answer at .* within 1500 ms/)
  })
})
