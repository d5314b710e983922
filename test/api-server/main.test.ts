// main.ts as deployed locally: configured only by the environment, against an existing table; SIGTERM stops it cleanly.
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createTestTable, dropTestTable, engineClient } from '../support/engine.js'
import { callFor } from './support.js'

let client: DynamoDBClient
let tableName: string

beforeAll(async () => {
  client = engineClient()
  tableName = await createTestTable(client, 'api-main')
})
afterAll(async () => {
  await dropTestTable(client, tableName)
  client.destroy()
})

it('serves from env settings with its stream worker, and exits 0 on SIGTERM', { timeout: 30_000 }, async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', TABLE_NAME: tableName, DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'), LOG_LEVEL: 'info' }
  delete env.COGNITO_USER_POOL_ID
  delete env.COGNITO_CLIENT_ID
  delete env.STREAM_WORKER
  // One process, as `node --import tsx` runs it (the tsx CLI wrapper may SIGKILL a child slow to acknowledge a signal).
  const main = spawn(process.execPath, ['--import', 'tsx', 'examples/api-server/src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  main.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  main.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => main.once('exit', (code, signal) => resolve({ code, signal })))
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within 20 s:\n${output}`)), 20_000)
      main.stdout.on('data', () => {
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (match && output.includes('Cruddur messages API ready')) clearTimeout(timer), resolve(match[1]!)
      })
      void exited.then(() => reject(new Error(`exited early:\n${output}`)))
    })
    expect(output).toContain('DEV AUTH IS ON')
    expect(output).toContain('"streamWorker":true')

    const call = callFor(url)
    const started = await call('POST', '/api/messages', { as: 'dana', body: { message: 'Hello from main', handle: 'cleo' } })
    expect(started.status).toBe(200)
    const reply = await call('POST', '/api/messages', { as: 'cleo', body: { message: 'Hi Dana', message_group_uuid: started.body.message_group_uuid } })
    expect(reply.status).toBe(200)
    // The worker in main.ts (not this test) moves Dana's conversation to Cleo's reply.
    await expect.poll(async () => (await call('GET', '/api/message_groups', { as: 'dana' })).body[0]?.message, { timeout: 10_000 }).toBe('Hi Dana')

    main.kill('SIGTERM')
    expect(await exited).toEqual({ code: 0, signal: null })
  } finally {
    if (main.exitCode === null && main.signalCode === null) main.kill('SIGKILL')
  }
})
