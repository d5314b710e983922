// The Express example (examples/express) over real HTTP against DynamoDB Local, with Pattern D from the table's
// stream through startLocalStreamWorker, as its main.ts runs it. The library comes from the BUILT package, as the
// example imports it.
import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { createMessaging, type Participant } from 'dynamo-messaging'
import { startLocalStreamWorker } from 'dynamo-messaging/local'
import { createApp } from '../../examples/express/src/app.js'
import { expectNoWrites } from '../support/expectNoWrites.js'
import { testTable, user } from '../support/engine.js'

const { client, tableName } = await testTable('express-example')
const messaging = createMessaging({ client, tableName })
const worker = await startLocalStreamWorker({ client, tableName })
const [ada, ben, cleo, dana] = [user('ada'), user('ben'), user('cleo'), user('dana')]
const users = new Map<string, Participant>([ada, ben, cleo, dana].map((person) => [person.uuid, person]))
const app = createApp({ messaging, currentUser: (request) => users.get(request.header('x-user-uuid') ?? ''), findUser: (uuid) => users.get(uuid) })
const server: Server = await new Promise((resolve) => {
  const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
})
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
afterAll(async () => {
  await worker.stop()
  await new Promise((resolve) => server.close(resolve))
})

async function call(as: Participant | undefined, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(as && { 'x-user-uuid': as.uuid }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) })
  })
  return { status: response.status, body: (await response.json()) as any }
}

const withoutWrites = (action: () => Promise<unknown>) => expectNoWrites(client, tableName, action)

describe('the Express example', () => {
  let messageGroupUuid: string

  it('answers 401 to a request without a signed-in user', async () => {
    expect(await call(undefined, 'GET', '/conversations')).toEqual({ status: 401, body: { error: 'sign_in_required' } })
  })

  it('starts a conversation with POST /messages and lists it for both people', async () => {
    const started = await call(ada, 'POST', '/messages', { recipientUuid: ben.uuid, message: 'Hi Ben' })
    expect(started.status).toBe(201)
    expect(started.body).toMatchObject({ created: true, message: { message: 'Hi Ben', userUuid: ada.uuid } })
    messageGroupUuid = started.body.messageGroupUuid

    const bens = await call(ben, 'GET', '/conversations')
    expect(bens.status).toBe(200)
    expect(bens.body.items).toEqual([
      expect.objectContaining({ messageGroupUuid, otherUserUuid: ada.uuid, lastMessage: 'Hi Ben', unreadCount: 1 })
    ])
    const again = await call(ada, 'POST', '/messages', { recipientUuid: ben.uuid, message: 'Are you there?' })
    expect(again).toMatchObject({ status: 200, body: { messageGroupUuid, created: false } })
  })

  it('sends a reply into the conversation; the stream brings it to the other list, unread', async () => {
    const reply = await call(ben, 'POST', `/conversations/${messageGroupUuid}/messages`, { message: 'Hi Ada' })
    expect(reply.status).toBe(201)
    expect(reply.body).toMatchObject({ messageGroupUuid, message: 'Hi Ada', userUuid: ben.uuid })
    await worker.drain(10_000)

    const messages = await call(ada, 'GET', `/conversations/${messageGroupUuid}/messages`)
    expect(messages.body.items.map((item: { message: string }) => item.message)).toEqual(['Hi Ada', 'Are you there?', 'Hi Ben'])
    const adas = await call(ada, 'GET', '/conversations')
    expect(adas.body.items).toEqual([expect.objectContaining({ messageGroupUuid, lastMessage: 'Hi Ada', unreadCount: 1 })])
    expect((await call(ada, 'GET', '/unread')).body).toEqual({ conversations: 1, messages: 1 })
  })

  it('marks read with POST /conversations/:id/read', async () => {
    const read = await call(ada, 'POST', `/conversations/${messageGroupUuid}/read`)
    expect(read).toMatchObject({ status: 200, body: { changed: true, unreadCount: 0 } })
    expect((await call(ada, 'GET', '/unread')).body).toEqual({ conversations: 0, messages: 0 })
  })

  it('answers 400 to a cursor that is not one of its own', async () => {
    const bad = await call(ada, 'GET', `/conversations/${messageGroupUuid}/messages?cursor=not-a-cursor`)
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid', issues: [expect.objectContaining({ path: 'cursor' })] } })
  })

  it('answers 404 to someone outside the conversation, and writes nothing', async () => {
    expect(await call(cleo, 'GET', `/conversations/${messageGroupUuid}/messages`)).toEqual({
      status: 404,
      body: { error: 'conversation_not_found' }
    })
    await withoutWrites(async () => {
      const sent = await call(cleo, 'POST', `/conversations/${messageGroupUuid}/messages`, { message: 'let me in' })
      expect(sent).toEqual({ status: 404, body: { error: 'conversation_not_found' } })
    })
  })

  it('answers 400 with every issue to bad input, and 404 to an unknown recipient, writing nothing', async () => {
    await withoutWrites(async () => {
      const blank = await call(ada, 'POST', `/conversations/${messageGroupUuid}/messages`, { message: '   ', messageId: 'nope' })
      expect(blank.status).toBe(400)
      expect(blank.body.issues.map((issue: { code: string }) => issue.code).sort()).toEqual(['message_blank', 'message_id_invalid'])
      const stranger = await call(ada, 'POST', '/messages', { recipientUuid: '5ae290ed-55d1-47a0-bc6d-fe2bc2700399', message: 'hello' })
      expect(stranger).toEqual({ status: 404, body: { error: 'recipient_not_found' } })
      expect(await call(ada, 'POST', '/messages', '{"recipientUuid":')).toEqual({ status: 400, body: { error: 'invalid_json' } })
    })
  })
})

describe('groups in the Express example', () => {
  let group: string

  it('creates a group with POST /groups: every member lists it at once, with its first message', async () => {
    const created = await call(ada, 'POST', '/groups', { title: 'Lunch', memberUuids: [ben.uuid, cleo.uuid], message: 'Noon?' })
    expect(created.status).toBe(201)
    group = created.body.messageGroupUuid
    const cleos = await call(cleo, 'GET', '/conversations')
    expect(cleos.body.items).toContainEqual(expect.objectContaining({ messageGroupUuid: group, kind: 'group', title: 'Lunch', memberCount: 3, lastMessage: 'Noon?' }))
  })

  it('lets the owner add and remove members; a plain member gets 403 and writes nothing', async () => {
    expect(await call(ada, 'POST', `/groups/${group}/members`, { memberUuids: [dana.uuid] })).toMatchObject({ status: 200, body: { added: [expect.objectContaining({ uuid: dana.uuid })] } })
    await withoutWrites(async () => {
      expect(await call(ben, 'DELETE', `/groups/${group}/members/${cleo.uuid}`)).toEqual({ status: 403, body: { error: 'forbidden' } })
      expect(await call(ben, 'POST', '/groups', { title: 'x', memberUuids: ['5ae290ed-55d1-47a0-bc6d-fe2bc2700399'] })).toEqual({ status: 404, body: { error: 'member_not_found' } })
    })
    expect(await call(ada, 'DELETE', `/groups/${group}/members/${dana.uuid}`)).toMatchObject({ status: 200, body: { removed: true } })
    const members = await call(ben, 'GET', `/groups/${group}/members`)
    expect(members.body.items.map((member: { handle: string; role: string }) => [member.handle, member.role]).sort()).toEqual([
      ['ada', 'owner'],
      ['ben', 'member'],
      ['cleo', 'member']
    ])
    expect(await call(dana, 'GET', `/groups/${group}/members`)).toEqual({ status: 404, body: { error: 'conversation_not_found' } })
  })
})

it.each(['examples/express/src/app.ts', 'examples/express/src/main.ts'])('docs/guide.md quotes %s as it stands', (file) => {
  const guide = readFileSync(new URL('../../docs/guide.md', import.meta.url), 'utf8')
  const marker = `<!-- ${file}, as it stands -->`
  expect(guide).toContain(marker)
  const block = guide.slice(guide.indexOf(marker) + marker.length).match(/^\s*```ts\n([\s\S]*?)\n```/)?.[1]
  expect(block).toBe(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8').trimEnd())
})
