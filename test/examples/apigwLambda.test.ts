// The API Gateway + Lambda example (examples/apigw-lambda): the HTTP API handler invoked with API Gateway's payload
// format 2.0 events (JWT authorizer), and the WebSocket API's $connect/$disconnect handlers with their connections
// table, against DynamoDB Local. The library comes from the BUILT package, as the example imports it.
import { randomUUID } from 'node:crypto'
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda'
import { afterAll, describe, expect, it } from 'vitest'
import { createMessaging, type Message, type Participant } from 'dynamo-messaging'
import { createConnectionHandlers } from '../../examples/apigw-lambda/src/connectionHandlers.js'
import { createHttpHandler } from '../../examples/apigw-lambda/src/httpHandler.js'
import { createConnectionsTable } from '../support/connectionsTable.js'
import { expectNoWrites } from '../support/expectNoWrites.js'
import { scanAll, testTable, user } from '../support/engine.js'

const { client, tableName } = await testTable('apigw-example')
const messaging = createMessaging({ client, tableName })
const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
const users = new Map<string, Participant>([ada, ben, cleo].map((person) => [person.uuid, person]))
const handler = createHttpHandler({ messaging, findUser: (uuid) => users.get(uuid) })

/** An HTTP API (payload format 2.0) event as API Gateway sends it through a JWT authorizer. */
function httpEvent(
  as: Participant | undefined,
  routeKey: string,
  options: { path?: Record<string, string>; query?: Record<string, string>; body?: unknown; base64?: boolean } = {}
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method, template] = routeKey.split(' ') as [string, string]
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => options.path?.[name] ?? '')
  const rawQueryString = new URLSearchParams(options.query).toString()
  const text = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  const now = new Date()
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers: { 'content-type': 'application/json', host: 'abc123.execute-api.us-east-1.amazonaws.com', authorization: 'Bearer eyJ...' },
    ...(options.query && { queryStringParameters: options.query }),
    ...(options.path && { pathParameters: options.path }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: as ? { sub: as.uuid, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example', token_use: 'access' } : {},
          scopes: null as never
        }
      },
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime()
    },
    isBase64Encoded: options.base64 ?? false,
    ...(text !== undefined && { body: options.base64 ? Buffer.from(text).toString('base64') : text })
  }
}

async function invoke(...args: Parameters<typeof httpEvent>) {
  const result = await handler(httpEvent(...args))
  expect(result.headers).toEqual({ 'content-type': 'application/json' })
  return { status: result.statusCode, body: JSON.parse(result.body as string) as any }
}

const withoutWrites = (table: string, action: () => Promise<unknown>) => expectNoWrites(client, table, action)

describe('the HTTP API handler', () => {
  let messageGroupUuid: string

  it('answers 401 without a signed-in user the directory knows, and 404 to a route it does not have', async () => {
    expect(await invoke(undefined, 'GET /conversations')).toEqual({ status: 401, body: { error: 'sign_in_required' } })
    expect(await invoke(user('zed'), 'GET /conversations')).toEqual({ status: 401, body: { error: 'sign_in_required' } })
    expect(await invoke(ada, 'DELETE /conversations')).toEqual({ status: 404, body: { error: 'route_not_found' } })
  })

  it('starts a conversation (body base64-encoded, as API Gateway may send it) and lists it for both', async () => {
    const started = await invoke(ada, 'POST /messages', { body: { recipientUuid: ben.uuid, message: 'Hi Ben' }, base64: true })
    expect(started).toMatchObject({ status: 201, body: { created: true, message: { message: 'Hi Ben', userUuid: ada.uuid } } })
    messageGroupUuid = started.body.messageGroupUuid
    const bens = await invoke(ben, 'GET /conversations')
    expect(bens.body.items).toEqual([expect.objectContaining({ messageGroupUuid, lastMessage: 'Hi Ben', unreadCount: 1 })])
  })

  it('replies, lists messages, counts and marks read (Pattern D as the stream Lambda would run it)', async () => {
    const path = { messageGroupUuid }
    const reply = await invoke(ben, 'POST /conversations/{messageGroupUuid}/messages', { path, body: { message: 'Hi Ada' } })
    expect(reply).toMatchObject({ status: 201, body: { messageGroupUuid, message: 'Hi Ada' } })
    await messaging.updateMessageGroups(reply.body as Message)

    const messages = await invoke(ada, 'GET /conversations/{messageGroupUuid}/messages', { path })
    expect(messages.body.items.map((item: Message) => item.message)).toEqual(['Hi Ada', 'Hi Ben'])
    expect((await invoke(ada, 'GET /unread')).body).toEqual({ conversations: 1, messages: 1 })
    expect(await invoke(ada, 'POST /conversations/{messageGroupUuid}/read', { path })).toMatchObject({ status: 200, body: { unreadCount: 0 } })
    expect((await invoke(ada, 'GET /conversations')).body.items).toEqual([expect.objectContaining({ lastMessage: 'Hi Ada', unreadCount: 0 })])
  })

  it('refuses outsiders (404), bad input (400 with every issue) and unknown recipients (404), writing nothing', async () => {
    const path = { messageGroupUuid }
    await withoutWrites(tableName, async () => {
      expect(await invoke(cleo, 'GET /conversations/{messageGroupUuid}/messages', { path })).toEqual({
        status: 404,
        body: { error: 'conversation_not_found' }
      })
      expect(await invoke(cleo, 'POST /conversations/{messageGroupUuid}/messages', { path, body: { message: 'let me in' } })).toEqual({
        status: 404,
        body: { error: 'conversation_not_found' }
      })
      const blank = await invoke(ada, 'POST /conversations/{messageGroupUuid}/messages', { path, body: { message: ' ' } })
      expect(blank).toMatchObject({ status: 400, body: { error: 'invalid', issues: [expect.objectContaining({ code: 'message_blank' })] } })
      const cursor = await invoke(ada, 'GET /conversations', { query: { cursor: 'forged' } })
      expect(cursor).toMatchObject({ status: 400, body: { issues: [expect.objectContaining({ path: 'cursor' })] } })
      expect(await invoke(ada, 'POST /messages', { body: { recipientUuid: randomUUID(), message: 'hello' } })).toEqual({
        status: 404,
        body: { error: 'recipient_not_found' }
      })
      expect(await invoke(ada, 'POST /messages', { body: '{"message":' })).toEqual({ status: 400, body: { error: 'invalid_json' } })
    })
  })
})

describe('the WebSocket $connect and $disconnect handlers', async () => {
  const connectionsTable = await createConnectionsTable(client)
  afterAll(() => client.send(new DeleteTableCommand({ TableName: connectionsTable })))
  const now = new Date('2026-12-03T12:00:00.000Z')
  const { connect, disconnect } = createConnectionHandlers({
    documents: DynamoDBDocumentClient.from(client),
    connectionsTable,
    verifyToken: async (token) => (token === 'valid-for-ada' ? ada.uuid : undefined),
    now: () => now
  })
  /** A WebSocket event as API Gateway sends it to $connect / $disconnect. */
  const wsEvent = (routeKey: '$connect' | '$disconnect', connectionId: string, query?: Record<string, string>) => ({
    headers: { Host: 'ws123.execute-api.us-east-1.amazonaws.com', 'Sec-WebSocket-Version': '13' },
    isBase64Encoded: false,
    ...(query && { queryStringParameters: query }),
    requestContext: {
      routeKey,
      eventType: routeKey === '$connect' ? 'CONNECT' : 'DISCONNECT',
      connectionId,
      domainName: 'ws123.execute-api.us-east-1.amazonaws.com',
      stage: 'production',
      apiId: 'ws123',
      requestId: randomUUID(),
      connectedAt: now.getTime(),
      requestTimeEpoch: now.getTime(),
      messageDirection: 'IN'
    }
  })

  it('stores the connection of a verified user, and refuses one without a valid token, storing nothing', async () => {
    await withoutWrites(connectionsTable, async () => {
      expect(await connect(wsEvent('$connect', 'conn-1'))).toEqual({ statusCode: 401 })
      expect(await connect(wsEvent('$connect', 'conn-1', { token: 'forged' }))).toEqual({ statusCode: 401 })
    })
    expect(await connect(wsEvent('$connect', 'conn-1', { token: 'valid-for-ada' }))).toEqual({ statusCode: 200 })
    expect(await connect(wsEvent('$connect', 'conn-2', { token: 'valid-for-ada' }))).toEqual({ statusCode: 200 })
    const stored = await scanAll(client, connectionsTable)
    expect(stored).toHaveLength(2)
    expect(stored).toContainEqual({
      user_uuid: ada.uuid,
      connection_id: 'conn-1',
      connected_at: now.toISOString(),
      expires_at: now.getTime() / 1000 + 3 * 3600
    })
  })

  it('never overwrites a stored connection', async () => {
    await expect(connect(wsEvent('$connect', 'conn-1', { token: 'valid-for-ada' }))).rejects.toThrow(/conditional/i)
  })

  it('forgets the connection on $disconnect, told only its id; a repeat is harmless', async () => {
    expect(await disconnect(wsEvent('$disconnect', 'conn-1'))).toEqual({ statusCode: 200 })
    expect((await scanAll(client, connectionsTable)).map((item) => item.connection_id)).toEqual(['conn-2'])
    await withoutWrites(connectionsTable, async () => {
      expect(await disconnect(wsEvent('$disconnect', 'conn-1'))).toEqual({ statusCode: 200 })
    })
  })
})
