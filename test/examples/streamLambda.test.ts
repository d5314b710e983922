import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { beforeAll, expect, inject, it } from 'vitest'
import { createMessaging } from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { insertRecordOf } from '../support/streamRecords.js'

const run = promisify(execFile)
const { client, tableName } = await testTable('lambda-example')
beforeAll(() => run('node', ['examples/stream-lambda/build.mjs'])) // bundles against the built package, as for deployment

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

it('the bundled example stream Lambda brings both rows to the newest message', async () => {
  const messaging = createMessaging({ client, tableName })
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'hello from the stream' })
  expect(await invokeBundle({ Records: [insertRecordOf(reply, 1)] })).toEqual({ batchItemFailures: [] })
  const rows = (await scanAll(client, tableName)).filter((item) => item.sk === `MSG#${messageGroupUuid}`)
  expect(rows.map((row) => [row.last_sk, row.message])).toEqual([
    [reply.sortKey, 'hello from the stream'],
    [reply.sortKey, 'hello from the stream']
  ])
})
