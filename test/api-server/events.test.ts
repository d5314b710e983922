// The live event stream (/api/events) the chat page listens to: who may open one, who receives what, and that open
// tabs cost no DynamoDB reads. Against the server with its stream worker on DynamoDB Local, over real HTTP.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { devAuth } from '../../examples/api-server/src/auth.js'
import { createEventHub, eventsFor, framesFor } from '../../examples/api-server/src/events/eventHub.js'
import { streamTokens } from '../../examples/api-server/src/events/streamToken.js'
import { startApiServer, type ApiServer } from '../../examples/api-server/src/startApiServer.js'
import { loadUserDirectory } from '../../examples/api-server/src/users.js'
import { createTestTable, dropTestTable, engineClient } from '../support/engine.js'
import { callFor, openStream as openStreamOf, until } from './support.js'

let client: DynamoDBClient
let tableName: string
let api: ApiServer
let call: ReturnType<typeof callFor>
/** DynamoDB reads made through the server's client (the API's and the stream worker's). */
let reads = 0
const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand', 'TransactGetItemsCommand'])

beforeAll(async () => {
  client = engineClient()
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (READS.has(context.commandName ?? '')) reads++
      return next(args)
    },
    { step: 'initialize', name: 'countReads' }
  )
  tableName = await createTestTable(client, 'api-events')
  // Ten tabs of one user: above the default per-user limit of open streams (tested in scale.test.ts).
  const limits = { maxEventStreamsPerUser: 10 }
  api = await startApiServer({ client, tableName, users: await loadUserDirectory(), auth: devAuth(), port: 0, host: '127.0.0.1', streamWorker: true, limits })
  call = callFor(api.url)
})
afterAll(async () => {
  await api?.stop()
  await dropTestTable(client, tableName)
  client.destroy()
})

/** An open event stream of `handle` on `url` (default: the server of this file). */
const openStream = (handle: string, url = api.url) => openStreamOf(url, handle)

it('opens only with a valid stream token, which only a signed-in user gets', async () => {
  expect((await call('POST', '/api/events/token')).status).toBe(401)
  const issued = await call<{ token: string; expires_in: number }>('POST', '/api/events/token', { as: 'ada' })
  expect(issued.status).toBe(200)
  expect(issued.body.expires_in).toBe(60)
  const [payload, signature] = issued.body.token.split('.')
  const forged = `${Buffer.from(JSON.stringify({ u: 'someone-else', e: 9_999_999_999 })).toString('base64url')}.${signature}`
  for (const query of ['', '?token=', `?token=${payload}`, `?token=${forged}`, `?token=${issued.body.token}x`]) {
    const response = await call('GET', `/api/events${query}`)
    expect([query, response.status, response.body]).toEqual([query, 401, { errors: ['stream_token_invalid'] }])
  }
})

it('a stream carries only its user’s conversations, to every open tab of theirs, at no DynamoDB read per tab', async () => {
  const benTabs = await Promise.all(Array.from({ length: 10 }, () => openStream('ben')))
  const cleo = await openStream('cleo')
  const ada = await openStream('ada')
  await until('all streams registered', () => api.events!.size === 12)
  const started = await call('POST', '/api/messages', { as: 'ada', body: { message: 'Hello Ben', handle: 'ben' } })
  await until('every tab of Ben to get the first message', () => benTabs.every((tab) => tab.events.length === 1))
  await until('Ada to get her own message', () => ada.events.length === 1)
  await api.worker!.drain()
  for (const tab of [...benTabs, ada]) tab.events.length = 0

  reads = 0
  const sent = await call('POST', '/api/messages', { as: 'ada', body: { message: 'Only for Ben', message_group_uuid: started.body.message_group_uuid } })
  expect(sent.status).toBe(200)
  await until('every tab of Ben to get the message', () => benTabs.every((tab) => tab.events.length > 0))
  await until('Ada to get her own message', () => ada.events.length > 0)
  await api.worker!.drain()
  const readsWithTenTabs = reads
  for (const tab of benTabs) {
    expect(tab.events).toEqual([
      {
        message_group_uuid: sent.body.message_group_uuid,
        sort_key: sent.body.sort_key,
        message: 'Only for Ben',
        created_at: sent.body.created_at,
        sender_uuid: expect.any(String),
        handle: 'ada',
        display_name: 'Ada Quill',
        unread_count: 2
      }
    ])
  }
  expect(ada.events.map((event) => [event.message, event.unread_count])).toEqual([['Only for Ben', 0]])

  // The same with Ben's tabs closed: the same reads (the stream worker's own), so tabs add none.
  for (const tab of benTabs) tab.close()
  await until('Ben’s streams to be gone', () => api.events!.size === 2)
  reads = 0
  const again = await call('POST', '/api/messages', { as: 'ada', body: { message: 'Ben again', message_group_uuid: sent.body.message_group_uuid } })
  expect(again.status).toBe(200)
  await until('Ada to get it', () => ada.events.length === 2)
  expect(ada.events.map((event) => event.message)).toEqual(['Only for Ben', 'Ben again'])
  await api.worker!.drain()
  expect(reads).toBe(readsWithTenTabs)

  // Cleo's stream works (she gets her own conversation) and never carried Ada and Ben's.
  await call('POST', '/api/messages', { as: 'ada', body: { message: 'Hi Cleo', handle: 'cleo' } })
  await until('Cleo to get her message', () => cleo.events.length > 0)
  expect(cleo.events.map((event) => event.message)).toEqual(['Hi Cleo'])
  expect(cleo.events.every((event) => event.message_group_uuid !== started.body.message_group_uuid)).toBe(true)
  cleo.close()
  ada.close()
})

it('closing the server ends open streams instead of waiting on them', async () => {
  const users = await loadUserDirectory()
  const other = await startApiServer({ client, tableName, users, auth: devAuth(), port: 0, host: '127.0.0.1', streamWorker: true })
  const { ended } = await openStream('dana', other.url)
  await until('the stream to register', () => other.events!.size === 1)
  await other.stop()
  expect(await Promise.race([ended, new Promise((resolve) => setTimeout(() => resolve('still open'), 3_000))])).toBe('ended')
  expect(other.events!.size).toBe(0)
})

it('eventsFor: one event per participant, each with their own unread count; framesFor writes exactly those; the hub skips a tab that throws', () => {
  const applied = {
    messageGroupUuid: 'g-1',
    message: { messageGroupUuid: 'g-1', sortKey: '2026-11-23T10:00:00.000000+00:00', message: 'hi "there"\n\u2028', userUuid: 'u-a', handle: 'ada', displayName: 'Ada' },
    participants: [
      { userUuid: 'u-a', unreadCount: 0 },
      { userUuid: 'u-b', unreadCount: 3 }
    ]
  }
  const events = eventsFor(applied)
  expect(events.map(({ userUuid, event }) => [userUuid, event.unread_count, event.handle, event.message])).toEqual([
    ['u-a', 0, 'ada', 'hi "there"\n\u2028'],
    ['u-b', 3, 'ada', 'hi "there"\n\u2028']
  ])
  expect(events[0]!.event.created_at).toMatch(/^2026-11-23T10:00:00/)
  // The bytes on the wire: one SSE message event per participant, whose data is that participant's event.
  const frames = framesFor(applied)
  expect(frames.map(({ userUuid }) => userUuid)).toEqual(['u-a', 'u-b'])
  expect(frames[0]!.frame[0]).toBe(frames[1]!.frame[0]) // the conversation's part: one buffer for all
  const decoded = frames.map(({ frame }) => {
    const text = Buffer.concat(frame).toString('utf8')
    expect(text).toMatch(/^event: message\ndata: [^\n]*\n\n$/) // one line of data: no raw newline inside
    return JSON.parse(text.slice('event: message\ndata: '.length))
  })
  expect(decoded).toEqual(events.map(({ event }) => event))
  expect(Object.keys(decoded[1])).toEqual(Object.keys(events[1]!.event))

  const errors: unknown[] = []
  const hub = createEventHub({ onError: (error) => errors.push(error) })
  const got: string[] = []
  const quiet = { ping: () => {}, close: () => {} }
  const text = (frame: readonly Buffer[]) => JSON.parse(Buffer.concat(frame).toString().split('data: ')[1]!).message as string
  hub.subscribe('u-b', { ...quiet, send: () => { throw new Error('gone') } })
  hub.subscribe('u-b', { ...quiet, send: (frame) => got.push(text(frame)) })
  hub.subscribe('u-c', { ...quiet, send: (frame) => got.push(`c:${text(frame)}`) })
  hub.publish(applied)
  expect(got).toEqual(['hi "there"\n\u2028'])
  expect(errors).toHaveLength(1)
})

it('the hub refuses a stream past the per-user or the total limit, and registers nothing then', () => {
  const hub = createEventHub({ limits: { maxStreams: 4, maxStreamsPerUser: 2 } })
  const quiet = () => ({ send: () => {}, ping: () => {}, close: () => {} }) // a stream each
  const first = hub.subscribe('u-a', quiet())
  expect(hub.subscribe('u-a', quiet()).ok).toBe(true)
  expect(hub.subscribe('u-a', quiet())).toEqual({ ok: false, reason: 'user_limit' })
  expect(hub.subscribe('u-b', quiet()).ok).toBe(true)
  expect(hub.subscribe('u-b', quiet()).ok).toBe(true)
  expect(hub.subscribe('u-c', quiet())).toEqual({ ok: false, reason: 'server_limit' })
  expect(hub.size).toBe(4)
  if (first.ok) first.unsubscribe()
  expect(hub.size).toBe(3)
  const same = quiet()
  hub.subscribe('u-d', same)
  expect(() => hub.subscribe('u-d', same)).toThrow(/already/)
  hub.closeAll()
})

it('stream tokens expire and cannot be altered', () => {
  let now = 1_000_000
  const tokens = streamTokens({ now: () => now })
  const { token } = tokens.issue('u-1')
  expect(tokens.verify(token)).toBe('u-1')
  expect(streamTokens().verify(token)).toBeUndefined() // another server's key (a restart)
  now += 59_000
  expect(tokens.verify(token)).toBe('u-1')
  now += 2_000
  expect(tokens.verify(token)).toBeUndefined()
  for (const bad of [undefined, 42, '', 'a.b', `${token}.x`]) expect(tokens.verify(bad)).toBeUndefined()
})
