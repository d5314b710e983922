import { randomUUID } from 'node:crypto'
import { messageGroupUuidFor } from 'dynamo-messaging'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { User } from '../../examples/api-server/src/users.js'
import { scanAll } from '../support/engine.js'
import { ISO_TIME, UUID, person, startTestApi, type TestApi } from './support.js'

interface CruddurMessage {
  uuid: string
  display_name: string
  handle: string
  message: string
  created_at: string
  sort_key: string
}
type Posted = CruddurMessage & { message_group_uuid: string }

let api: TestApi
let ada: User, ben: User, cleo: User
let adaBen: string // the ada–ben conversation

beforeAll(async () => {
  api = await startTestApi('api-routes')
  ;[ada, ben, cleo] = await Promise.all(['ada', 'ben', 'cleo'].map((handle) => person(api.users, handle))) as [User, User, User]
})
afterAll(async () => api?.close())

describe('happy paths', () => {
  it('GET /api/users/@:handle/short tells who a handle is, with or without a token (public, as in Cruddur)', async () => {
    expect((await api.call('GET', '/api/users/@ben/short')).status).toBe(200)
    const { status, body } = await api.call('GET', '/api/users/@ben/short', { as: 'ada' })
    expect(status).toBe(200)
    expect(body).toEqual({ uuid: ben.uuid, handle: 'ben', display_name: 'Ben Okafor' })
  })

  it('POST /api/messages with a handle starts a conversation, listed for both participants', async () => {
    const { status, body } = await api.call<Posted>('POST', '/api/messages', { as: 'ada', body: { message: '  Hi Ben  ', handle: 'ben' } })
    expect(status).toBe(200)
    expect(body).toEqual({
      message_group_uuid: expect.stringMatching(UUID),
      uuid: expect.stringMatching(UUID),
      display_name: 'Ada Quill',
      handle: 'ada',
      message: 'Hi Ben',
      created_at: expect.stringMatching(ISO_TIME),
      sort_key: expect.stringMatching(/^\d{4}-.*#[0-9A-Z]{26}$/)
    })
    expect(body.uuid).not.toBe(ada.uuid)
    adaBen = body.message_group_uuid

    // The sender has read her first message; the recipient has it unread.
    const forAda = await api.call('GET', '/api/message_groups', { as: 'ada' })
    expect(forAda.status).toBe(200)
    expect(forAda.body).toEqual([
      { uuid: adaBen, display_name: 'Ben Okafor', handle: 'ben', message: 'Hi Ben', created_at: body.created_at, unread_count: 0, last_read_at: body.created_at }
    ])
    const forBen = await api.call('GET', '/api/message_groups', { as: 'ben' })
    expect(forBen.body).toEqual([
      { uuid: adaBen, display_name: 'Ada Quill', handle: 'ada', message: 'Hi Ben', created_at: body.created_at, unread_count: 1, last_read_at: null }
    ])
  })

  it('starting again with the same person (either way round) continues the same conversation', async () => {
    const before = await scanAll(api.client, api.tableName)
    const { status, body } = await api.call<Posted>('POST', '/api/messages', { as: 'ben', body: { message: 'Hi Ada', handle: 'ada' } })
    expect(status).toBe(200)
    expect(body).toMatchObject({ message_group_uuid: adaBen, handle: 'ben', display_name: 'Ben Okafor', message: 'Hi Ada' })
    const after = await scanAll(api.client, api.tableName)
    expect(after).toHaveLength(before.length + 1) // one message; no second conversation
    expect((await api.call<unknown[]>('GET', '/api/message_groups', { as: 'ada' })).body).toHaveLength(1)
  })

  it('POST /api/messages with a message_group_uuid replies, returning the message with its own uuid', async () => {
    const { status, body } = await api.call<Posted>('POST', '/api/messages', {
      as: 'ada',
      body: { message: 'How are you?', message_group_uuid: adaBen }
    })
    expect(status).toBe(200)
    expect(body).toEqual({
      message_group_uuid: adaBen,
      uuid: expect.stringMatching(UUID),
      display_name: 'Ada Quill',
      handle: 'ada',
      message: 'How are you?',
      created_at: expect.stringMatching(ISO_TIME),
      sort_key: expect.stringMatching(/^\d{4}-/)
    })
    expect(body.uuid).not.toBe(ada.uuid) // Cruddur returned the sender's uuid here
    expect(body.uuid).not.toBe(adaBen)

    const { body: messages } = await api.call<CruddurMessage[]>('GET', `/api/messages/${adaBen}`, { as: 'ben' })
    expect(messages.at(-1)).toEqual({ uuid: body.uuid, display_name: 'Ada Quill', handle: 'ada', message: 'How are you?', created_at: body.created_at, sort_key: body.sort_key })
    expect(new Set(messages.map((m) => m.uuid)).size).toBe(messages.length)
  })

  it('GET /api/messages/:uuid returns the newest page oldest to newest, and x-next-cursor pages back to the start', async () => {
    for (const [handle, message] of [['ben', 'Fine!'], ['ada', 'Good'], ['ben', 'Lunch?'], ['ada', 'Yes']] as const) {
      expect((await api.call('POST', '/api/messages', { as: handle, body: { message, message_group_uuid: adaBen } })).status).toBe(200)
    }
    const all = ['Hi Ben', 'Hi Ada', 'How are you?', 'Fine!', 'Good', 'Lunch?', 'Yes']

    const whole = await api.call<CruddurMessage[]>('GET', `/api/messages/${adaBen}`, { as: 'ada' })
    expect(whole.status).toBe(200)
    expect(whole.body.map((m) => m.message)).toEqual(all)
    expect(whole.headers.get('x-next-cursor')).toBeNull()
    for (const m of whole.body) expect(Object.keys(m).sort()).toEqual(['created_at', 'display_name', 'handle', 'message', 'sort_key', 'uuid'])
    expect([...whole.body.map((m) => m.created_at)].sort()).toEqual(whole.body.map((m) => m.created_at))

    const pages: string[][] = []
    let cursor: string | null = null
    do {
      const query: string = `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const page = await api.call<CruddurMessage[]>('GET', `/api/messages/${adaBen}${query}`, { as: 'ben' })
      expect(page.status).toBe(200)
      pages.push(page.body.map((m) => m.message))
      cursor = page.headers.get('x-next-cursor')
    } while (cursor && pages.length < 10)
    expect(pages).toEqual([['Good', 'Lunch?', 'Yes'], ['Hi Ada', 'How are you?', 'Fine!'], ['Hi Ben']])
  })

  it('GET /api/message_groups lists conversations newest first, and pages with x-next-cursor', async () => {
    const started = await api.call<Posted>('POST', '/api/messages', { as: 'cleo', body: { message: 'Hi Ada, Cleo here', handle: 'ada' } })
    expect(started.status).toBe(200)
    const { body } = await api.call<CruddurMessage[]>('GET', '/api/message_groups', { as: 'ada' })
    // No stream worker in this file: the ada–ben row stays at its first message, older than Cleo's.
    expect(body.map((g) => [g.uuid, g.handle, g.display_name])).toEqual([
      [started.body.message_group_uuid, 'cleo', 'Cleo Marsh'],
      [adaBen, 'ben', 'Ben Okafor']
    ])
    const first = await api.call<CruddurMessage[]>('GET', '/api/message_groups?limit=1', { as: 'ada' })
    expect(first.body.map((g) => g.handle)).toEqual(['cleo'])
    const cursor = first.headers.get('x-next-cursor')
    expect(cursor).toBeTypeOf('string')
    const second = await api.call<CruddurMessage[]>('GET', `/api/message_groups?limit=1&cursor=${encodeURIComponent(cursor!)}`, { as: 'ada' })
    expect(second.body.map((g) => g.handle)).toEqual(['ben'])
    expect((await api.call<unknown[]>('GET', '/api/message_groups', { as: 'dana' })).body).toEqual([])
  })
})

describe('POST /api/message_groups/:message_group_uuid/read', () => {
  it('marks the conversation read for the caller, up to a message or its newest, and the list shows it', async () => {
    // Sending marked Ben's row read up to his own last message; Ada's two new ones are what he has not read.
    for (const message of ['Still there?', 'Ben?']) {
      expect((await api.call('POST', '/api/messages', { as: 'ada', body: { message, message_group_uuid: adaBen } })).status).toBe(200)
    }
    const { body: messages } = await api.call<CruddurMessage[]>('GET', `/api/messages/${adaBen}`, { as: 'ben' })
    const [firstNew, lastOfAda] = messages.slice(-2)
    expect([firstNew!.message, lastOfAda!.message]).toEqual(['Still there?', 'Ben?'])
    const upTo = await api.call('POST', `/api/message_groups/${adaBen}/read`, { as: 'ben', body: { up_to: firstNew!.sort_key } })
    expect(upTo).toMatchObject({ status: 200, body: { message_group_uuid: adaBen, last_read_at: firstNew!.created_at, changed: true } })
    const newest = await api.call('POST', `/api/message_groups/${adaBen}/read`, { as: 'ben' })
    expect(newest).toMatchObject({ status: 200, body: { message_group_uuid: adaBen, unread_count: 0, last_read_at: lastOfAda!.created_at, changed: true } })
    const again = await api.call('POST', `/api/message_groups/${adaBen}/read`, { as: 'ben', body: { up_to: firstNew!.sort_key } })
    expect(again.body).toEqual({ message_group_uuid: adaBen, unread_count: 0, last_read_at: lastOfAda!.created_at, changed: false })
    const listed = await api.call<Array<{ uuid: string; unread_count: number }>>('GET', '/api/message_groups', { as: 'ben' })
    expect(listed.body.find((g) => g.uuid === adaBen)?.unread_count).toBe(0)
  })

  it('404 for a stranger, alike whether the conversation exists or not; 422 for a bad up_to; nothing written', async () => {
    await api.withoutWrites(async () => {
      const answer = async (messageGroupUuid: string) => {
        const { status, body, headers } = await api.call('POST', `/api/message_groups/${messageGroupUuid}/read`, { as: 'dana' })
        return { status, body, length: headers.get('content-length') }
      }
      const talking = await answer(adaBen)
      expect(talking).toMatchObject({ status: 404, body: { errors: ['message_group_not_found'] } })
      expect(await answer(randomUUID())).toEqual(talking)
      expect(await api.call('POST', `/api/message_groups/${adaBen}/read`, { as: 'ada', body: { up_to: '#MEMBERS' } })).toMatchObject({
        status: 422,
        body: { errors: ['up_to_invalid'] }
      })
      expect(await api.call('POST', '/api/message_groups/not-a-uuid/read', { as: 'ada', body: { up_to: 7 } })).toMatchObject({
        status: 422,
        body: { errors: ['message_group_uuid_invalid', 'up_to_invalid'] }
      })
    })
  })
})

describe('rejections write nothing', () => {
  it('404 when a non-participant reads or posts into a conversation, the same as for one that does not exist', async () => {
    // The ids of a pair that talks (ada, ben) and of one that does not (ada, dana) are both computable by anyone.
    const adaDana = messageGroupUuidFor(ada.uuid, (await person(api.users, 'dana')).uuid)
    expect((await api.call<unknown[]>('GET', '/api/message_groups', { as: 'dana' })).body).toEqual([])
    const answers = await api.withoutWrites(async () => {
      const answer = async (messageGroupUuid: string) => {
        const read = await api.call('GET', `/api/messages/${messageGroupUuid}?limit=5`, { as: 'cleo' })
        const post = await api.call('POST', '/api/messages', { as: 'cleo', body: { message: 'let me in', message_group_uuid: messageGroupUuid } })
        return [read, post].map(({ status, body, headers }) => ({ status, body, type: headers.get('content-type'), length: headers.get('content-length') }))
      }
      return { talking: await answer(adaBen), silent: await answer(adaDana), random: await answer(randomUUID()) }
    })
    expect(answers.talking[0]).toMatchObject({ status: 404, body: { errors: ['message_group_not_found'] } })
    expect(answers.silent).toEqual(answers.talking)
    expect(answers.random).toEqual(answers.talking)
    expect(cleo.uuid).toMatch(UUID)
  })

  it('404 for an unknown conversation, an unknown handle, an unknown user and an unknown route', async () => {
    const nowhere = randomUUID()
    await api.withoutWrites(async () => {
      expect(await api.call('GET', `/api/messages/${nowhere}`, { as: 'ada' })).toMatchObject({ status: 404, body: { errors: ['message_group_not_found'] } })
      expect(await api.call('POST', '/api/messages', { as: 'ada', body: { message: 'hello?', message_group_uuid: nowhere } })).toMatchObject({
        status: 404,
        body: { errors: ['message_group_not_found'] }
      })
      expect(await api.call('POST', '/api/messages', { as: 'ada', body: { message: 'hello?', handle: 'nobody' } })).toMatchObject({
        status: 404,
        body: { errors: ['user_not_found'] }
      })
      expect(await api.call('GET', '/api/users/@nobody/short', { as: 'ada' })).toMatchObject({ status: 404, body: { errors: ['user_not_found'] } })
      expect(await api.call('GET', '/api/nothing-here', { as: 'ada' })).toMatchObject({ status: 404, body: { errors: ['not_found'] } })
    })
  })

  it('422 with every error code when a reply is invalid', async () => {
    const cases: Array<[body: unknown, codes: string[]]> = [
      [{ message: '   ', message_group_uuid: adaBen }, ['message_blank']],
      [{ message: 'x'.repeat(1025), message_group_uuid: adaBen }, ['message_exceed_max_chars_1024']],
      [{ message: '😀'.repeat(1025), message_group_uuid: 'not-a-uuid' }, ['message_group_uuid_invalid', 'message_exceed_max_chars_1024']],
      [{ message: 'bell \u0007', message_group_uuid: adaBen }, ['message_invalid']],
      [{ message: 42, message_group_uuid: 42 }, ['message_group_uuid_invalid', 'message_blank']],
      [{}, ['message_group_uuid_invalid', 'message_blank']],
      [[], ['message_group_uuid_invalid', 'message_blank']]
    ]
    await api.withoutWrites(async () => {
      for (const [body, codes] of cases) {
        const response = await api.call('POST', '/api/messages', { as: 'ada', body })
        expect({ body, status: response.status, errors: response.body }).toEqual({ body, status: 422, errors: { errors: codes } })
      }
    })
  })

  it('422 when starting a conversation with a blank or oversized message, or with yourself', async () => {
    await api.withoutWrites(async () => {
      expect(await api.call('POST', '/api/messages', { as: 'ada', body: { message: '', handle: 'dana' } })).toMatchObject({
        status: 422,
        body: { errors: ['message_blank'] }
      })
      expect(await api.call('POST', '/api/messages', { as: 'ada', body: { message: 'y'.repeat(1025), handle: 'dana' } })).toMatchObject({
        status: 422,
        body: { errors: ['message_exceed_max_chars_1024'] }
      })
      expect(await api.call('POST', '/api/messages', { as: 'ada', body: { message: 'note to self', handle: 'ada' } })).toMatchObject({
        status: 422,
        body: { errors: ['recipient_is_sender'] }
      })
      expect(await api.call('POST', '/api/messages', { as: 'ada', body: { message: '', handle: 'ada' } })).toMatchObject({
        status: 422,
        body: { errors: ['message_blank', 'recipient_is_sender'] }
      })
    })
  })

  it('422 for a malformed conversation uuid, cursor or limit', async () => {
    const { headers } = await api.call('GET', `/api/messages/${adaBen}?limit=1`, { as: 'ada' })
    const messagesCursor = headers.get('x-next-cursor')!
    const otherGroup = (await api.call<CruddurMessage[]>('GET', '/api/message_groups', { as: 'ada' })).body.find((g) => g.handle === 'cleo')!.uuid
    const cases: Array<[path: string, codes: string[]]> = [
      ['/api/messages/not-a-uuid', ['message_group_uuid_invalid']],
      [`/api/messages/${adaBen}?cursor=garbage`, ['cursor_invalid']],
      [`/api/messages/${otherGroup}?cursor=${encodeURIComponent(messagesCursor)}`, ['cursor_invalid']], // another conversation's
      [`/api/messages/${adaBen}?limit=0`, ['limit_invalid']],
      [`/api/messages/${adaBen}?limit=101`, ['limit_invalid']],
      [`/api/messages/${adaBen}?limit=ten`, ['limit_invalid']],
      ['/api/messages/not-a-uuid?limit=0', ['message_group_uuid_invalid', 'limit_invalid']],
      ['/api/message_groups?cursor=garbage', ['cursor_invalid']],
      [`/api/message_groups?cursor=${encodeURIComponent(messagesCursor)}`, ['cursor_invalid']],
      ['/api/message_groups?limit=-1', ['limit_invalid']]
    ]
    await api.withoutWrites(async () => {
      for (const [path, codes] of cases) {
        const response = await api.call('GET', path, { as: 'ada' })
        expect({ path, status: response.status, body: response.body }).toEqual({ path, status: 422, body: { errors: codes } })
      }
    })
  })

  it('400 for a body that is not JSON, never 500', async () => {
    await api.withoutWrites(async () => {
      const response = await api.call('POST', '/api/messages', { as: 'ada', body: '{"message": "hi", ' })
      expect(response).toMatchObject({ status: 400, body: { errors: ['bad_request'] } })
      const wrongType = await api.call('POST', '/api/messages', { as: 'ada', body: 'message=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      expect(wrongType).toMatchObject({ status: 415, body: { errors: ['unsupported_media_type'] } })
    })
  })

  it('401 on every route without a valid dev token', async () => {
    const requests = [
      ['GET', '/api/message_groups'],
      ['GET', `/api/messages/${adaBen}`],
      ['POST', '/api/messages']
    ] as const
    const badAuthorizations = [undefined, 'Bearer', 'Bearer garbage', 'Bearer dev:', 'Bearer dev:nobody', 'Basic YWRhOnB3', 'dev:ada']
    await api.withoutWrites(async () => {
      for (const [method, path] of requests) {
        for (const authorization of badAuthorizations) {
          const response = await api.call(method, path, {
            ...(authorization !== undefined && { authorization }),
            ...(method === 'POST' && { body: { message: 'sneaky', message_group_uuid: adaBen } })
          })
          expect({ method, path, authorization, status: response.status, body: response.body }).toEqual({
            method,
            path,
            authorization,
            status: 401,
            body: { errors: ['unauthenticated'] }
          })
          expect(response.headers.get('www-authenticate')).toBe('Bearer')
        }
      }
    })
  })
})

describe('CORS', () => {
  it('is off without origins: no CORS headers at all (test/api-server/cruddurFrontend.test.ts has the front end)', async () => {
    const get = await api.call('GET', '/api/message_groups', { as: 'ada', headers: { origin: 'http://localhost:3000' } })
    expect(get.headers.get('access-control-allow-origin')).toBeNull()
  })
})
