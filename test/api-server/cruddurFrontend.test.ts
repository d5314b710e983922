// The example server with the bootcamp's React front end unchanged: the exact requests its pages send
// (frontend-react-js/src/pages/MessageGroup*.js, components/MessageForm.js), from its origin, preflights first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { User } from '../../examples/api-server/src/users.js'
import { person, startTestApi, type TestApi } from './support.js'

const FRONTEND = 'http://localhost:3000'
const BACKEND = 'https://4567-cruddur-example.gitpod.io' // Flask also allowed its own BACKEND_URL

let api: TestApi
let ada: User, ben: User
let adaBen: string

beforeAll(async () => {
  api = await startTestApi('api-frontend', { corsOrigins: [FRONTEND, BACKEND] })
  ;[ada, ben] = (await Promise.all(['ada', 'ben'].map((handle) => person(api.users, handle)))) as [User, User]
  const started = await api.messaging.createMessageGroup({ sender: ada, recipient: ben, message: 'Hi Ben' })
  adaBen = started.messageGroupUuid
})
afterAll(async () => api?.close())

/** What a browser sends before a request with an Authorization header (and a JSON body): no token, ever. */
const preflight = (path: string, method: 'GET' | 'POST', requestHeaders: string, origin = FRONTEND) =>
  api.call('OPTIONS', path, {
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': requestHeaders }
  })

function expectAllowed(headers: Headers, origin = FRONTEND) {
  expect(headers.get('access-control-allow-origin')).toBe(origin)
  expect(headers.get('vary')).toMatch(/origin/i)
}

describe('the bootcamp front end, from its origin', () => {
  it('MessageGroupsPage: preflight for GET /api/message_groups with Authorization, then the request', async () => {
    const options = await preflight('/api/message_groups', 'GET', 'authorization')
    expect(options.status).toBe(204)
    expectAllowed(options.headers)
    expect(options.headers.get('access-control-allow-methods')).toBe('OPTIONS, GET, HEAD, POST')
    expect(options.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization')

    const get = await api.call('GET', '/api/message_groups', { as: 'ada', headers: { origin: FRONTEND } })
    expect(get.status).toBe(200)
    expectAllowed(get.headers)
    expect(get.body).toEqual([expect.objectContaining({ uuid: adaBen, handle: 'ben', message: 'Hi Ben' })])
  })

  it('MessageGroupPage: GET /api/messages/:uuid, with the paging header readable', async () => {
    expect((await preflight(`/api/messages/${adaBen}`, 'GET', 'authorization')).status).toBe(204)
    const get = await api.call('GET', `/api/messages/${adaBen}?limit=1`, { as: 'ben', headers: { origin: FRONTEND } })
    expect(get.status).toBe(200)
    expectAllowed(get.headers)
    expect(get.headers.get('access-control-expose-headers')).toBe('Authorization, x-next-cursor')
  })

  it('MessageForm: preflight for POST /api/messages (authorization, content-type), then the POST as it sends it', async () => {
    // Chrome lists the non-safelisted headers lower-case and sorted; Accept is safelisted and not asked for.
    const options = await preflight('/api/messages', 'POST', 'authorization,content-type')
    expect(options.status).toBe(204)
    expectAllowed(options.headers)
    const post = await api.call('POST', '/api/messages', {
      as: 'ben',
      headers: { origin: FRONTEND, accept: 'application/json', 'content-type': 'application/json' },
      body: { message: 'Hello Ada', message_group_uuid: adaBen }
    })
    // The form acts only on exactly 200, then navigates to the conversation the answer names.
    expect(post.status).toBe(200)
    expectAllowed(post.headers)
    expect(post.body).toMatchObject({ message_group_uuid: adaBen, handle: 'ben', message: 'Hello Ada' })
  })

  it('MessageGroupNewPage: GET /api/users/@:handle/short without a token (public, as in Cruddur)', async () => {
    const short = await api.call('GET', '/api/users/@ben/short', { headers: { origin: FRONTEND } })
    expect(short.status).toBe(200)
    expectAllowed(short.headers)
    expect(short.body).toEqual({ uuid: ben.uuid, handle: 'ben', display_name: 'Ben Okafor' })
    expect((await api.call('GET', '/api/users/@nobody/short')).status).toBe(404)
  })

  it('then starts the conversation by handle; the one the pair has comes back, whoever starts', async () => {
    const post = await api.call('POST', '/api/messages', {
      as: 'ben',
      headers: { origin: FRONTEND, accept: 'application/json', 'content-type': 'application/json' },
      body: { message: 'Me again', handle: 'ada' }
    })
    expect(post.status).toBe(200)
    expect(post.body.message_group_uuid).toBe(adaBen)
  })

  it('BACKEND_URL is an allowed origin too, as in the Flask app', async () => {
    const options = await preflight('/api/message_groups', 'GET', 'authorization', BACKEND)
    expectAllowed(options.headers, BACKEND)
  })
})

describe('what the server still refuses', () => {
  it('another origin gets no allow header, on the preflight or the request', async () => {
    const evil = 'https://evil.example'
    const options = await preflight('/api/message_groups', 'GET', 'authorization', evil)
    expect(options.headers.get('access-control-allow-origin')).toBeNull()
    expect(options.headers.get('access-control-allow-methods')).toBeNull()
    const get = await api.call('GET', '/api/message_groups', { as: 'ada', headers: { origin: evil } })
    expect(get.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('only the handle lookup is public: the conversation routes still answer 401 without a token (readably)', async () => {
    await api.withoutWrites(async () => {
      for (const [method, path] of [
        ['GET', '/api/message_groups'],
        ['GET', `/api/messages/${adaBen}`],
        ['POST', '/api/messages']
      ] as const) {
        const response = await api.call(method, path, {
          headers: { origin: FRONTEND },
          ...(method === 'POST' && { body: { message: 'sneaky', message_group_uuid: adaBen } })
        })
        expect(response.status).toBe(401)
        expect(response.body).toEqual({ errors: ['unauthenticated'] })
        expectAllowed(response.headers)
      }
    })
  })

  it('a stranger to the conversation still gets 404 from its origin', async () => {
    const get = await api.call('GET', `/api/messages/${adaBen}`, { as: 'cleo', headers: { origin: FRONTEND } })
    expect(get).toMatchObject({ status: 404, body: { errors: ['message_group_not_found'] } })
  })
})
