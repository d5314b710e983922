import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMessaging } from '../../src/index.js'
import { createTestTable, dropTestTable, engineClient, scanAll, user } from '../support/engine.js'
import { insertRecordOf } from '../support/streamRecords.js'

const run = promisify(execFile)
let client: DynamoDBClient
let tableName: string

beforeAll(async () => {
  client = engineClient()
  tableName = await createTestTable(client, 'lambda-example')
  await run('node', ['examples/stream-lambda/build.mjs']) // bundles against the built package, as for deployment
})
afterAll(async () => {
  await dropTestTable(client, tableName)
  client.destroy()
})

// The bundled example runs in its own process, configured only through the environment, as in Lambda.
const invokeBundle = async (event: unknown) => {
  const script = `
    const { handler } = await import(${JSON.stringify(`${process.cwd()}/examples/stream-lambda/dist/index.mjs`)})
    process.stdout.write(JSON.stringify(await handler(JSON.parse(process.env.EVENT))))`
  const { stdout } = await run('node', ['--input-type=module', '-e', script], {
    env: {
      ...process.env,
      EVENT: JSON.stringify(event),
      TABLE_NAME: tableName,
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local'
    }
  })
  return JSON.parse(stdout) as unknown
}

it('the bundled example stream Lambda moves both rows to the newest message', async () => {
  const messaging = createMessaging({ client, tableName })
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'hello from the stream' })
  expect(await invokeBundle({ Records: [insertRecordOf(reply, 1)] })).toEqual({ batchItemFailures: [] })
  const rows = (await scanAll(client, tableName)).filter((item) => item.message_group_uuid === messageGroupUuid)
  expect(rows.map((row) => [row.sk, row.message])).toEqual([
    [reply.sortKey, 'hello from the stream'],
    [reply.sortKey, 'hello from the stream']
  ])
})
