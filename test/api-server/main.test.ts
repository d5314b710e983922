// main.ts as deployed locally: configured only by the environment, against an existing table (one the bootcamp made,
// too); SIGTERM stops it cleanly.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { adoptTable } from '../../src/admin/index.js'
import { newestOf, SEED_GROUP_UUID, writeBootcampTable } from '../support/bootcampTable.js'
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

/** main.ts in its own process, as `node --import tsx` runs it, configured by `settings` on top of a clean environment. */
function startMain(settings: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'), LOG_LEVEL: 'info', ...settings }
  delete env.COGNITO_USER_POOL_ID
  delete env.COGNITO_CLIENT_ID
  delete env.STREAM_WORKER
  // One process (the tsx CLI wrapper may SIGKILL a child slow to acknowledge a signal).
  const main = spawn(process.execPath, ['--import', 'tsx', 'examples/api-server/src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  main.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  main.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => main.once('exit', (code, signal) => resolve({ code, signal })))
  /** The URL once the server says it is listening and ready. */
  const ready = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within 20 s:\n${output}`)), 20_000)
      main.stdout.on('data', () => {
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (match && output.includes('Cruddur messages API ready')) clearTimeout(timer), resolve(match[1]!)
      })
      void exited.then(() => reject(new Error(`exited early:\n${output}`)))
    })
  const stop = () => {
    if (main.exitCode === null && main.signalCode === null) main.kill('SIGKILL')
  }
  return { main, exited, ready, stop, output: () => output }
}

it('serves from env settings with its stream worker, and exits 0 on SIGTERM', { timeout: 30_000 }, async () => {
  const server = startMain({ TABLE_NAME: tableName })
  try {
    const url = await server.ready()
    expect(server.output()).toContain('DEV AUTH IS ON')
    expect(server.output()).toContain('"streamWorker":true')

    const call = callFor(url)
    const started = await call('POST', '/api/messages', { as: 'dana', body: { message: 'Hello from main', handle: 'cleo' } })
    expect(started.status).toBe(200)
    const reply = await call('POST', '/api/messages', { as: 'cleo', body: { message: 'Hi Dana', message_group_uuid: started.body.message_group_uuid } })
    expect(reply.status).toBe(200)
    // The worker in main.ts (not this test) moves Dana's conversation to Cleo's reply.
    await expect.poll(async () => (await call('GET', '/api/message_groups', { as: 'dana' })).body[0]?.message, { timeout: 10_000 }).toBe('Hi Dana')

    server.main.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
  } finally {
    server.stop()
  }
})

it('on a bootcamp table names the adopt command, and after adopt serves its conversations', { timeout: 60_000 }, async () => {
  const bootcampTable = `api-bootcamp-${Date.now()}`
  const table = await writeBootcampTable(client, { tableName: bootcampTable })
  // The users as Cruddur's PostgreSQL has them (its column names), for the example's user directory.
  const dir = mkdtempSync(join(tmpdir(), 'bootcamp-users-'))
  const usersFile = join(dir, 'users.json')
  writeFileSync(usersFile, JSON.stringify(table.users.map((u) => ({ uuid: u.uuid, handle: u.handle, display_name: u.displayName }))))
  const start = () => startMain({ TABLE_NAME: bootcampTable, USERS_FILE: usersFile })
  try {
    const refused = start()
    expect(await refused.exited).toEqual({ code: 1, signal: null })
    expect(refused.output()).toContain(`Table ${bootcampTable} has no stream: run \`npx dynamo-messaging adopt --table ${bootcampTable}\``)

    await adoptTable({ client, tableName: bootcampTable, retry: { baseDelayMs: 1 } })
    const served = start()
    try {
      const url = await served.ready()
      const call = callFor(url)
      const seed = table.conversations.find((c) => c.messageGroupUuid === SEED_GROUP_UUID)!
      const groups = await call('GET', '/api/message_groups', { as: 'andrewbrown' })
      expect(groups.body[0]).toMatchObject({ uuid: SEED_GROUP_UUID, handle: 'bayko', message: newestOf(seed).text })
      // The new-message page for @bayko continues the seed's conversation (random id) instead of starting another.
      const posted = await call('POST', '/api/messages', { as: 'bayko', body: { message: 'Still there?', handle: 'andrewbrown' } })
      expect(posted).toMatchObject({ status: 200, body: { message_group_uuid: SEED_GROUP_UUID } })
      await expect.poll(async () => (await call('GET', '/api/message_groups', { as: 'andrewbrown' })).body[0]?.message, { timeout: 10_000 }).toBe('Still there?')
      served.main.kill('SIGTERM')
      expect(await served.exited).toEqual({ code: 0, signal: null })
    } finally {
      served.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await client.send(new DeleteTableCommand({ TableName: bootcampTable }))
  }
})
