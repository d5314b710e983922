// The example API's group routes (docs/api-server.md), over real HTTP against DynamoDB Local, with the server's stream
// worker on: create, list members with read markers, add, remove and leave, rename, make and unmake admins; 403 for a
// plain member, 404 for a stranger, 422 for bad input, each with nothing written; messages and group changes reaching
// group members live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { devAuth } from '../../examples/api-server/src/auth.js'
import { startApiServer, type ApiServer } from '../../examples/api-server/src/startApiServer.js'
import { loadUserDirectory, type User } from '../../examples/api-server/src/users.js'
import { createTestTable, dropTestTable, engineClient, scanAll } from '../support/engine.js'
import { ISO_TIME, UUID, callFor, openStream, person, until, type OpenStream } from './support.js'
// The shapes the chat page reads: the test checks the server gives them.
import type { Group as ListedGroup, Member } from '../../examples/api-server/web/src/api.js'

let client: DynamoDBClient
let tableName: string
let api: ApiServer
let call: ReturnType<typeof callFor>
let ada: User, ben: User, cleo: User, dana: User
const streams: OpenStream[] = []

beforeAll(async () => {
  client = engineClient()
  tableName = await createTestTable(client, 'api-groups')
  const users = await loadUserDirectory()
  ;[ada, ben, cleo, dana] = (await Promise.all(['ada', 'ben', 'cleo', 'dana'].map((handle) => person(users, handle)))) as [User, User, User, User]
  api = await startApiServer({ client, tableName, users, auth: devAuth(), port: 0, host: '127.0.0.1', streamWorker: true })
  call = callFor(api.url)
})
afterAll(async () => {
  for (const stream of streams) stream.close()
  await api?.stop()
  await dropTestTable(client, tableName)
  client.destroy()
})

const stream = async (handle: string) => {
  const opened = await openStream(api.url, handle)
  streams.push(opened)
  return opened
}
const listFor = async (handle: string) => (await call<ListedGroup[]>('GET', '/api/message_groups', { as: handle })).body
const membersOf = async (groupUuid: string, handle: string) =>
  (await call<Member[]>('GET', `/api/message_groups/${groupUuid}/members`, { as: handle })).body

/** Runs `action` once the stream worker is idle, and checks that not one item of the table changed. */
async function withoutWrites<T>(action: () => Promise<T>): Promise<T> {
  await api.worker!.drain()
  const before = await scanAll(client, tableName)
  const result = await action()
  await api.worker!.drain()
  expect(await scanAll(client, tableName)).toEqual(before)
  return result
}

describe('a group from creation to its owner leaving', () => {
  let group: string
  let welcome: { sort_key: string; created_at: string }

  it('POST /api/message_groups creates it: every member lists it at once, with its title, size and last sender, and is told live', async () => {
    const [benStream, danaStream] = await Promise.all([stream('ben'), stream('dana')])
    const created = await call('POST', '/api/message_groups', { as: 'ada', body: { title: ' Launch ', handles: ['ben', 'cleo'], message: 'Welcome!' } })
    expect(created.status).toBe(200)
    expect(created.body).toEqual({
      message_group_uuid: expect.stringMatching(UUID),
      kind: 'group',
      member_count: 3,
      created: true,
      message: expect.objectContaining({ handle: 'ada', message: 'Welcome!', created_at: expect.stringMatching(ISO_TIME) })
    })
    group = created.body.message_group_uuid
    welcome = created.body.message
    const item = (unread: number, lastRead: string | null) => ({
      uuid: group,
      kind: 'group',
      title: 'Launch',
      member_count: 3,
      display_name: 'Ada Quill',
      handle: 'ada',
      sender_uuid: ada.uuid,
      message: 'Welcome!',
      created_at: welcome.created_at,
      unread_count: unread,
      last_read_at: lastRead
    })
    expect(await listFor('ada')).toEqual([item(0, welcome.created_at)])
    expect(await listFor('ben')).toEqual([item(1, null)])
    expect(await listFor('cleo')).toEqual([item(1, null)])
    expect(await listFor('dana')).toEqual([])
    await until('Ben to be told of the new group', () => benStream.groupEvents.length === 1)
    expect(benStream.groupEvents).toEqual([{ message_group_uuid: group, change: 'created' }])
    expect(danaStream.groupEvents).toEqual([])
  })

  it('GET …/members lists roles and read markers (the "seen by" line); a stranger gets the 404 of every conversation route', async () => {
    const members = await membersOf(group, 'ben')
    expect(members.map((m) => [m.handle, m.role, m.last_read_sort_key, m.last_read_at]).sort()).toEqual([
      ['ada', 'owner', welcome.sort_key, welcome.created_at],
      ['ben', 'member', null, null],
      ['cleo', 'member', null, null]
    ])
    const stranger = await call('GET', `/api/message_groups/${group}/members`, { as: 'dana' })
    expect(stranger).toMatchObject({ status: 404, body: { errors: ['message_group_not_found'] } })
    const paged = await call<Member[]>('GET', `/api/message_groups/${group}/members?limit=2`, { as: 'ada' })
    expect(paged.body).toHaveLength(2)
    expect(paged.headers.get('x-next-cursor')).toBeTruthy()
  })

  it('POST /api/messages with the group uuid sends into it: every member lists it through the stream, live, with the sender', async () => {
    const cleoStream = await stream('cleo')
    const sent = await call('POST', '/api/messages', { as: 'ben', body: { message: 'On it', message_group_uuid: group } })
    expect(sent.status).toBe(200)
    await until('Cleo to get Ben’s message live', () => cleoStream.events.some((event) => event.message === 'On it'))
    expect(cleoStream.events.find((event) => event.message === 'On it')).toMatchObject({ message_group_uuid: group, handle: 'ben', display_name: 'Ben Okafor', unread_count: 2 })
    await api.worker!.drain()
    expect((await listFor('cleo'))[0]).toMatchObject({ uuid: group, handle: 'ben', display_name: 'Ben Okafor', message: 'On it', unread_count: 2 })
    // Sending marked Ben's read up to his message: "seen by" Ben.
    const benMember = (await membersOf(group, 'ada')).find((m) => m.handle === 'ben')
    expect(benMember?.last_read_sort_key).toBe(sent.body.sort_key)
    const transcript = await call<Array<{ handle: string; message: string }>>('GET', `/api/messages/${group}`, { as: 'cleo' })
    expect(transcript.body.map((m) => [m.handle, m.message])).toEqual([['ada', 'Welcome!'], ['ben', 'On it']])
  })

  it('a plain member may not add, remove, rename or make admins: 403 with nothing written', async () => {
    await withoutWrites(async () => {
      const tries = [
        await call('POST', `/api/message_groups/${group}/members`, { as: 'ben', body: { handles: ['dana'] } }),
        await call('POST', `/api/message_groups/${group}/members/${cleo.uuid}/remove`, { as: 'ben' }),
        await call('POST', `/api/message_groups/${group}/title`, { as: 'ben', body: { title: 'Mine now' } }),
        await call('POST', `/api/message_groups/${group}/members/${cleo.uuid}/role`, { as: 'ben', body: { role: 'admin' } })
      ]
      expect(tries.map((r) => [r.status, r.body])).toEqual(Array(4).fill([403, { errors: ['forbidden'] }]))
    })
  })

  it('a stranger gets 404 for every group route, with nothing written', async () => {
    await withoutWrites(async () => {
      const tries = [
        await call('POST', `/api/message_groups/${group}/members`, { as: 'dana', body: { handles: ['dana'] } }),
        await call('POST', `/api/message_groups/${group}/members/${dana.uuid}/remove`, { as: 'dana' }),
        await call('POST', `/api/message_groups/${group}/members/${cleo.uuid}/remove`, { as: 'dana' }),
        await call('POST', `/api/message_groups/${group}/title`, { as: 'dana', body: { title: 'Hi' } }),
        await call('POST', `/api/message_groups/${group}/members/${dana.uuid}/role`, { as: 'dana', body: { role: 'admin' } }),
        await call('POST', '/api/messages', { as: 'dana', body: { message: 'Let me in', message_group_uuid: group } })
      ]
      expect(tries.map((r) => [r.status, r.body])).toEqual(Array(6).fill([404, { errors: ['message_group_not_found'] }]))
    })
  })

  it('bad input is a 422 (an unknown handle a 404), with nothing written', async () => {
    await withoutWrites(async () => {
      const create = (body: unknown) => call('POST', '/api/message_groups', { as: 'ada', body })
      expect((await create({ title: 'T' })).body).toEqual({ errors: ['handles_invalid'] })
      expect((await create({ title: 'T', handles: [] })).body).toEqual({ errors: ['handles_invalid'] })
      expect((await create({ title: 'T', handles: [7] })).body).toEqual({ errors: ['handles_invalid'] })
      expect(await create({ title: 'T', handles: ['ben', 'nobody'] })).toMatchObject({ status: 404, body: { errors: ['user_not_found'] } })
      expect(await create({ title: '  ', handles: ['ben'] })).toMatchObject({ status: 422, body: { errors: ['title_blank'] } })
      expect(await create({ title: 'x'.repeat(101), handles: ['ben'], message: '' })).toMatchObject({
        status: 422,
        body: { errors: ['title_exceed_max_chars_100', 'message_blank'] }
      })
      expect(await create({ title: 'T', handles: ['ben', 'ben'] })).toMatchObject({ status: 422, body: { errors: ['members_duplicate'] } })
      expect(await create({ title: 'T', handles: ['ada', 'ben'] })).toMatchObject({ status: 422, body: { errors: ['members_duplicate'] } })
      const rename = await call('POST', `/api/message_groups/${group}/title`, { as: 'ada', body: { title: '' } })
      expect(rename).toMatchObject({ status: 422, body: { errors: ['title_blank'] } })
      const role = await call('POST', `/api/message_groups/${group}/members/${ben.uuid}/role`, { as: 'ada', body: { role: 'owner' } })
      expect(role.status).toBe(422)
      expect(role.body.errors).toEqual(['role_invalid'])
      const add = await call('POST', `/api/message_groups/${group}/members`, { as: 'ada', body: { handles: 'dana' } })
      expect(add).toMatchObject({ status: 422, body: { errors: ['handles_invalid'] } })
      const notAMember = await call('POST', `/api/message_groups/${group}/members/${dana.uuid}/role`, { as: 'ada', body: { role: 'admin' } })
      expect(notAMember).toMatchObject({ status: 404, body: { errors: ['member_not_found'] } })
    })
  })

  it('the owner adds a member (told live, nothing unread, the whole history) and makes an admin, who removes them again', async () => {
    const danaStream = await stream('dana')
    danaStream.groupEvents.length = 0
    const added = await call('POST', `/api/message_groups/${group}/members`, { as: 'ada', body: { handles: ['dana', 'ben'] } })
    expect(added).toMatchObject({ status: 200, body: { added: [{ uuid: dana.uuid, handle: 'dana', display_name: dana.displayName }] } })
    await until('Dana to be told she was added', () => danaStream.groupEvents.length === 1)
    expect(danaStream.groupEvents[0]).toEqual({ message_group_uuid: group, change: 'added' })
    expect(await listFor('dana')).toEqual([expect.objectContaining({ uuid: group, title: 'Launch', member_count: 4, unread_count: 0, message: 'On it' })])
    expect((await call('GET', `/api/messages/${group}`, { as: 'dana' })).body).toHaveLength(2)

    const made = await call('POST', `/api/message_groups/${group}/members/${ben.uuid}/role`, { as: 'ada', body: { role: 'admin' } })
    expect(made).toMatchObject({ status: 200, body: { uuid: ben.uuid, role: 'admin' } })
    const renamed = await call('POST', `/api/message_groups/${group}/title`, { as: 'ben', body: { title: 'Launch day' } })
    expect(renamed).toMatchObject({ status: 200, body: { title: 'Launch day' } })
    expect((await listFor('cleo'))[0]).toMatchObject({ title: 'Launch day', member_count: 4 })

    const removed = await call('POST', `/api/message_groups/${group}/members/${dana.uuid}/remove`, { as: 'ben' })
    expect(removed).toMatchObject({ status: 200, body: { removed: true, new_owner_uuid: null } })
    await until('Dana to be told she was removed', () => danaStream.groupEvents.length === 2)
    expect(danaStream.groupEvents[1]).toEqual({ message_group_uuid: group, change: 'removed' })
    expect(await listFor('dana')).toEqual([])
    expect((await call('GET', `/api/messages/${group}`, { as: 'dana' })).status).toBe(404)
    expect((await call('POST', '/api/messages', { as: 'dana', body: { message: 'Still here?', message_group_uuid: group } })).status).toBe(404)
    expect((await listFor('ada'))[0]).toMatchObject({ member_count: 3 })
    // An admin may not remove the owner.
    expect(await call('POST', `/api/message_groups/${group}/members/${ada.uuid}/remove`, { as: 'ben' })).toMatchObject({ status: 403 })
  })

  it('leaving: a member removes themselves; the owner who leaves hands the group to the admin', async () => {
    expect(await call('POST', `/api/message_groups/${group}/members/${cleo.uuid}/remove`, { as: 'cleo' })).toMatchObject({
      status: 200,
      body: { removed: true, new_owner_uuid: null }
    })
    expect(await listFor('cleo')).toEqual([])
    expect(await call('POST', `/api/message_groups/${group}/members/${ada.uuid}/remove`, { as: 'ada' })).toMatchObject({
      status: 200,
      body: { removed: true, new_owner_uuid: ben.uuid }
    })
    expect((await membersOf(group, 'ben')).map((m) => [m.handle, m.role])).toEqual([['ben', 'owner']])
    expect((await listFor('ben'))[0]).toMatchObject({ uuid: group, member_count: 1 })
  })
})

it('direct conversations keep exactly Cruddur’s fields beside groups', async () => {
  const started = await call('POST', '/api/messages', { as: 'cleo', body: { message: 'Hi Dana', handle: 'dana' } })
  expect(started.status).toBe(200)
  const direct = (await listFor('dana')).find((item) => item.uuid === started.body.message_group_uuid)
  expect(Object.keys(direct ?? {}).sort()).toEqual(['created_at', 'display_name', 'handle', 'last_read_at', 'message', 'unread_count', 'uuid'])
})
