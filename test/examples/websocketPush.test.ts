import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { afterAll, expect, inject, it } from 'vitest'
import { createMessaging } from '../../src/index.js'
import { dropTestTable, scanAll, testTable, user } from '../support/engine.js'
import { insertRecordOf } from '../support/streamRecords.js'
import { createConnectionsTable } from '../support/connectionsTable.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const example = 'examples/websocket-push/streamHandler.ts'

it('docs/stream.md quotes the WebSocket example as it stands', () => {
  const docs = readFileSync(join(root, 'docs/stream.md'), 'utf8')
  const marker = `<!-- ${example}, as it stands -->`
  const block = docs.slice(docs.indexOf(marker) + marker.length).match(/^\s*```ts\n([\s\S]*?)\n```/)?.[1]
  expect(block).toBe(readFileSync(join(root, example), 'utf8').trimEnd())
})

// The example runs in its own process, configured only through the environment as in Lambda, against DynamoDB Local
// and a stand-in for API Gateway's management API: POST /@connections/{id}, 410 GoneException for a closed one.
const { client, tableName } = await testTable('websocket-example')
const connectionsTable = await createConnectionsTable(client)
const posts: Array<{ connectionId: string; data: Record<string, unknown> }> = []
const api: Server = createServer((request, response) => {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    const connectionId = decodeURIComponent(request.url!.replace('/@connections/', ''))
    if (connectionId.startsWith('gone')) {
      response.writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' }).end('{"message":"gone"}')
      return
    }
    posts.push({ connectionId, data: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> })
    response.writeHead(200).end()
  })
})
await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
afterAll(async () => {
  await new Promise((resolve) => api.close(resolve))
  await dropTestTable(client, connectionsTable)
})

it('pushes each new message to every participant\'s open connections with their unread count, forgetting closed ones', async () => {
  const messaging = createMessaging({ client, tableName })
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  const reply = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'pushed to Bob' })
  const connections = [
    { user_uuid: alice.uuid, connection_id: 'alice-phone' },
    { user_uuid: bob.uuid, connection_id: 'bob-laptop' },
    { user_uuid: bob.uuid, connection_id: 'gone-bob-tab' }
  ]
  await DynamoDBDocumentClient.from(client).send(
    new BatchWriteCommand({ RequestItems: { [connectionsTable]: connections.map((Item) => ({ PutRequest: { Item } })) } })
  )
  const script = `
    const { handler } = await import(${JSON.stringify(join(root, example))})
    process.stdout.write(JSON.stringify(await handler(JSON.parse(process.env.EVENT))))`
  const { stdout } = await promisify(execFile)('node', ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: {
      ...process.env,
      EVENT: JSON.stringify({ Records: [insertRecordOf(reply, 1)] }),
      TABLE_NAME: tableName,
      CONNECTIONS_TABLE: connectionsTable,
      WEBSOCKET_ENDPOINT: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local'
    }
  })
  expect(JSON.parse(stdout)).toEqual({ batchItemFailures: [] })
  const sent = { type: 'message', message_group_uuid: messageGroupUuid, sort_key: reply.sortKey, message: 'pushed to Bob', handle: 'alice' }
  expect(posts.sort((x, y) => x.connectionId.localeCompare(y.connectionId))).toEqual([
    { connectionId: 'alice-phone', data: { ...sent, unread_count: 0 } },
    { connectionId: 'bob-laptop', data: { ...sent, unread_count: 2 } }
  ])
  expect((await scanAll(client, connectionsTable)).map((item) => item.connection_id).sort()).toEqual(['alice-phone', 'bob-laptop'])
})
