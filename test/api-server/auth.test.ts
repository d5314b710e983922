// Authentication through real HTTP. Cognito tokens are verified for real by aws-jwt-verify: signed here with a local RSA
// key whose JWKS is handed to the verifier (`cacheJwks`), so no network is used.
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose'
import { cognitoAuth, devAuth, findUser, DEV_AUTH_WARNING } from '../../examples/api-server/src/auth.js'
import { createUserDirectory, type User } from '../../examples/api-server/src/users.js'
import { person, startTestApi, type TestApi } from './support.js'

const REGION = 'eu-west-1'
const POOL_ID = `${REGION}_TestPool42`
const CLIENT_ID = '4example0client0id0abcdefg'
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`
const KID = 'test-key-1'

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']
let poolKey: Key
let strangerKey: Key
let api: TestApi
let auth: ReturnType<typeof cognitoAuth>
let ada: User, ben: User

/** An access token as Cognito issues them, valid unless `claims` / `options` say otherwise. */
async function accessToken(claims: JWTPayload = {}, options: { key?: Key; kid?: string; expiresIn?: string | number } = {}) {
  return new SignJWT({ token_use: 'access', client_id: CLIENT_ID, scope: 'aws.cognito.signin.user.admin', username: 'ada', sub: ada.cognitoUserId, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? KID })
    .setIssuer(typeof claims.iss === 'string' ? claims.iss : ISSUER)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(options.key ?? poolKey)
}

beforeAll(async () => {
  const pool = await generateKeyPair('RS256', { extractable: true })
  poolKey = pool.privateKey
  strangerKey = (await generateKeyPair('RS256')).privateKey
  auth = cognitoAuth({ userPoolId: POOL_ID, clientId: CLIENT_ID })
  auth.verifier.cacheJwks({ keys: [{ ...(await exportJWK(pool.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] as never })
  api = await startTestApi('api-auth', { auth })
  ;[ada, ben] = [await person(api.users, 'ada'), await person(api.users, 'ben')]
})
afterAll(async () => api?.close())

describe('Cognito access tokens', () => {
  it('a valid token signs in the user whose cognito_user_id is its sub', async () => {
    const token = await accessToken()
    const started = await api.call('POST', '/api/messages', { token, body: { message: 'Hi from Cognito', handle: 'ben' } })
    expect(started.status).toBe(200)
    expect(started.body).toMatchObject({ handle: 'ada', display_name: 'Ada Quill' })
    const groups = await api.call('GET', '/api/message_groups', { token })
    expect(groups.body).toEqual([expect.objectContaining({ handle: 'ben', message: 'Hi from Cognito' })])
    // Ben's token (sub = his cognito id) sees the same conversation from his side.
    const bens = await api.call('GET', '/api/message_groups', { token: await accessToken({ sub: ben.cognitoUserId, username: 'ben' }) })
    expect(bens.body).toEqual([expect.objectContaining({ handle: 'ada' })])
  })

  it('401 for missing, garbage, expired, foreign, tampered and otherwise wrong tokens, with nothing written', async () => {
    const valid = await accessToken()
    const [header, payload, signature] = valid.split('.') as [string, string, string]
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`
    const asBen = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: ben.cognitoUserId })).toString('base64url')
    // Each bad token, and the verifier's reason for refusing it: proof that each fails on its own flaw.
    const bad: Record<string, [token: string | undefined, reason: RegExp]> = {
      'no token': [undefined, /no bearer token/],
      garbage: ['not-a-jwt', /JwtParseError/],
      expired: [await accessToken({ iat: Math.floor(Date.now() / 1000) - 3600 }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }), /JwtExpiredError/],
      'wrong issuer (another pool)': [await accessToken({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_OtherPool1` }), /issuer not configured/],
      'wrong client': [await accessToken({ client_id: 'some-other-app-client' }), /CognitoJwtInvalidClientIdError/],
      'id token instead of access token': [await accessToken({ token_use: 'id', aud: CLIENT_ID }), /CognitoJwtInvalidTokenUseError/],
      'tampered signature': [`${header}.${payload}.${flipped}`, /JwtInvalidSignatureError/],
      'tampered payload (sub swapped to ben)': [`${header}.${asBen}.${signature}`, /JwtInvalidSignatureError/],
      'signed by another key under the pool key id': [await accessToken({}, { key: strangerKey }), /JwtInvalidSignatureError/],
      'unsigned (alg none)': [`${Buffer.from('{"alg":"none","kid":"test-key-1"}').toString('base64url')}.${payload}.`, /JwtParseError/],
      'valid token, user not in the directory': [await accessToken({ sub: '00000000-0000-4000-8000-000000000000', username: 'mallory' }), /^$/],
      'dev token while Cognito is on': ['dev:ada', /JwtParseError/]
    }
    for (const [label, [token, reason]] of Object.entries(bad)) {
      const result = await auth.identify(token === undefined ? undefined : `Bearer ${token}`)
      expect({ label, reason: result.ok ? "" : result.reason }).toEqual({ label, reason: expect.stringMatching(reason) })
    }
    await api.withoutWrites(async () => {
      for (const [label, [token]] of Object.entries(bad)) {
        for (const [method, path, body] of [
          ['GET', '/api/message_groups', undefined],
          ['POST', '/api/messages', { message: 'should not land', handle: 'cleo' }]
        ] as const) {
          const response = await api.call(method, path, { ...(token !== undefined && { token }), ...(body && { body }) })
          expect({ label, method, status: response.status, body: response.body }).toEqual({
            label,
            method,
            status: 401,
            body: { errors: ['unauthenticated'] }
          })
        }
      }
    })
    // The same valid token still works: the rejections above were about the tokens, not the server.
    expect((await api.call('GET', '/api/message_groups', { token: valid })).status).toBe(200)
  })
})

describe('findUser', () => {
  const linked: User = { uuid: '11111111-1111-4111-8111-111111111111', handle: 'linked', displayName: 'Linked', cognitoUserId: 'sub-linked' }
  const unlinked: User = { uuid: '22222222-2222-4222-8222-222222222222', handle: 'unlinked', displayName: 'Unlinked' }
  const users = createUserDirectory([linked, unlinked])

  it('finds by sub, else by username only for a user with no Cognito id on file', async () => {
    expect(await findUser(users, { kind: 'cognito', sub: 'sub-linked' })).toBe(linked)
    expect(await findUser(users, { kind: 'cognito', sub: 'sub-new', username: 'unlinked' })).toBe(unlinked)
    // Anyone may sign up with the username "linked"; that must not make them Linked.
    expect(await findUser(users, { kind: 'cognito', sub: 'sub-impostor', username: 'linked' })).toBeUndefined()
    expect(await findUser(users, { kind: 'dev', handle: 'unlinked' })).toBe(unlinked)
    expect(await findUser(users, { kind: 'dev', handle: 'nobody' })).toBeUndefined()
  })
})

describe('dev auth', () => {
  it('warns at start-up, accepts Bearer dev:<handle>, and rejects real tokens', async () => {
    const lines: string[] = []
    const stream = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) })
    const dev = await startTestApi('api-devauth', { auth: devAuth(), logger: { level: 'warn', stream } })
    try {
      expect(lines.map((line) => JSON.parse(line) as { level: number; msg: string })).toContainEqual(
        expect.objectContaining({ level: 40, msg: DEV_AUTH_WARNING })
      )
      expect((await dev.call('GET', '/api/message_groups', { as: 'ada' })).status).toBe(200)
      expect((await dev.call('GET', '/api/message_groups', { token: await accessToken() })).status).toBe(401)
    } finally {
      await dev.close()
    }
  })

  it('is not announced in Cognito mode', async () => {
    const lines: string[] = []
    const stream = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) })
    const cognito = await startTestApi('api-nodevwarn', { auth: cognitoAuth({ userPoolId: POOL_ID, clientId: CLIENT_ID }), logger: { level: 'warn', stream } })
    await cognito.close()
    expect(lines.join('')).not.toContain('DEV AUTH')
  })
})
