// Pattern D through the real stream path: the server as main.ts runs it locally, with startLocalStreamWorker feeding
// the library's stream handler from DynamoDB Local's stream. No updateMessageGroups call anywhere in this file.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { devAuth } from '../../examples/api-server/src/auth.js'
import { startApiServer, type ApiServer } from '../../examples/api-server/src/startApiServer.js'
import { loadUserDirectory } from '../../examples/api-server/src/users.js'
import { createTestTable, dropTestTable, engineClient } from '../support/engine.js'
import { callFor } from './support.js'

let client: DynamoDBClient
let tableName: string
let api: ApiServer
let call: ReturnType<typeof callFor>

beforeAll(async () => {
  client = engineClient()
  tableName = await createTestTable(client, 'api-stream')
  const users = await loadUserDirectory()
  api = await startApiServer({ client, tableName, users, auth: devAuth(), port: 0, host: '127.0.0.1', streamWorker: true })
  call = callFor(api.url)
})
afterAll(async () => {
  await api?.stop()
  await dropTestTable(client, tableName)
  client.destroy()
})

const lastMessages = async (handle: string) =>
  (await call<Array<{ handle: string; message: string; created_at: string }>>('GET', '/api/message_groups', { as: handle })).body.map(
    (group) => [group.handle, group.message, group.created_at]
  )

it('a reply becomes the last message of both participants’ conversation lists through the stream worker', async () => {
  expect(api.worker).toBeDefined()
  const withBen = await call('POST', '/api/messages', { as: 'ada', body: { message: 'Hi Ben', handle: 'ben' } })
  const withCleo = await call('POST', '/api/messages', { as: 'cleo', body: { message: 'Hi Ada', handle: 'ada' } })
  expect([withBen.status, withCleo.status]).toEqual([200, 200])
  await api.worker!.drain()
  expect(await lastMessages('ada')).toEqual([
    ['cleo', 'Hi Ada', withCleo.body.created_at],
    ['ben', 'Hi Ben', withBen.body.created_at]
  ])

  const reply = await call('POST', '/api/messages', { as: 'ben', body: { message: 'Hi Ada, Ben here', message_group_uuid: withBen.body.message_group_uuid } })
  expect(reply.status).toBe(200)
  await api.worker!.drain()
  // Ben's conversation moved to the top of Ada's list, with his reply as its last message; Ben sees the same.
  expect(await lastMessages('ada')).toEqual([
    ['ben', 'Hi Ada, Ben here', reply.body.created_at],
    ['cleo', 'Hi Ada', withCleo.body.created_at]
  ])
  expect(await lastMessages('ben')).toEqual([['ada', 'Hi Ada, Ben here', reply.body.created_at]])

  // A burst of replies ends on the newest, never an older one.
  for (const text of ['one', 'two', 'three']) {
    await call('POST', '/api/messages', { as: 'ada', body: { message: text, message_group_uuid: withBen.body.message_group_uuid } })
  }
  await api.worker!.drain()
  expect((await lastMessages('ben'))[0]?.[1]).toBe('three')
  expect((await lastMessages('ada'))[0]?.[1]).toBe('three')

  // Ben's reply marked the conversation read for him; Ada's three after it are unread, until he reads them.
  const unread = async (handle: string) =>
    (await call<Array<{ handle: string; unread_count: number }>>('GET', '/api/message_groups', { as: handle })).body.map((g) => [g.handle, g.unread_count])
  expect(await unread('ben')).toEqual([['ada', 3]])
  expect(await unread('ada')).toEqual([['ben', 0], ['cleo', 1]])
  expect((await call('POST', `/api/message_groups/${withBen.body.message_group_uuid}/read`, { as: 'ben' })).body).toMatchObject({ unread_count: 0 })
  expect(await unread('ben')).toEqual([['ada', 0]])
})
