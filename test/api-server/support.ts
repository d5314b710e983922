// Helpers for the example API server's tests: a fresh table in the suite's DynamoDB Local, the server on a free port,
// and a `call` that speaks real HTTP. The library comes from the BUILT package, as the example itself imports it.
import { expect } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { FastifyInstance } from 'fastify'
import { createMessaging, type MessagingClient } from 'dynamo-messaging'
import { devAuth, type Authenticator } from '../../examples/api-server/src/auth.js'
import { buildServer, type BuildServerOptions } from '../../examples/api-server/src/buildServer.js'
import type { GroupEvent, MessageEvent } from '../../examples/api-server/src/events/eventHub.js'
import { loadUserDirectory, type User, type UserDirectory } from '../../examples/api-server/src/users.js'
import { createTestTable, dropTestTable, engineClient, scanAll } from '../support/engine.js'
import { openEventStream } from '../support/eventStream.js'

export interface CallOptions {
  /** Dev auth: signs in as this handle (`Bearer dev:<handle>`). */
  as?: string
  /** A bearer token (Cognito tests). */
  token?: string
  /** The raw `Authorization` header, for malformed ones. */
  authorization?: string
  /** JSON-encoded unless it is already a string. */
  body?: unknown
  headers?: Record<string, string>
}

export interface Response<T = unknown> {
  status: number
  body: T
  headers: Headers
}

export interface TestApi {
  url: string
  client: DynamoDBClient
  tableName: string
  messaging: MessagingClient
  users: UserDirectory
  server: FastifyInstance
  call<T = any>(method: 'GET' | 'POST' | 'OPTIONS', path: string, options?: CallOptions): Promise<Response<T>>
  /** Runs `action` and checks that not one item of the table changed. */
  withoutWrites<T>(action: () => Promise<T>): Promise<T>
  close(): Promise<void>
}

export async function startTestApi(
  label: string,
  options: { auth?: Authenticator; users?: UserDirectory; client?: DynamoDBClient } & Partial<
    Pick<BuildServerOptions, 'logger' | 'corsOrigins'>
  > = {}
): Promise<TestApi> {
  // The server's client (default: the suite's engine client). The table is made, scanned and dropped with the suite's
  // own client, so a server client with short timeouts or injected faults never fails the set-up or the checks.
  const client = options.client ?? engineClient()
  const admin = options.client ? engineClient() : client
  const tableName = await createTestTable(admin, label)
  const messaging = createMessaging({ client, tableName })
  const users = options.users ?? (await loadUserDirectory())
  const server = buildServer({ messaging, users, auth: options.auth ?? devAuth(), logger: options.logger ?? false, ...(options.corsOrigins && { corsOrigins: options.corsOrigins }) })
  const url = await server.listen({ port: 0, host: '127.0.0.1' })
  const call = callFor(url)
  return {
    url,
    client,
    tableName,
    messaging,
    users,
    server,
    call,
    async withoutWrites(action) {
      const before = await scanAll(admin, tableName)
      const result = await action()
      expect(await scanAll(admin, tableName)).toEqual(before)
      return result
    },
    async close() {
      await server.close()
      await dropTestTable(admin, tableName)
      client.destroy()
      if (admin !== client) admin.destroy()
    }
  }
}

export function callFor(url: string) {
  return async function call<T = any>(method: 'GET' | 'POST' | 'OPTIONS', path: string, options: CallOptions = {}): Promise<Response<T>> {
    const headers: Record<string, string> = { ...options.headers }
    const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : options.as ? `Bearer dev:${options.as}` : undefined)
    if (authorization !== undefined) headers.authorization = authorization
    let body: string | undefined
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    const response = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined && { body }) })
    const text = await response.text()
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers }
  }
}

/** A user of users.json, by handle. */
export async function person(users: UserDirectory, handle: string): Promise<User> {
  const user = await users.findByHandle(handle)
  if (!user) throw new Error(`no @${handle} in users.json`)
  return user
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** A stream token for `handle` from the server at `url` (dev auth). */
export async function streamTokenFor(url: string, handle: string): Promise<string> {
  const { status, body } = await callFor(url)<{ token: string }>('POST', '/api/events/token', { as: handle })
  expect(status).toBe(200)
  return body.token
}

/** An open event stream: its `message` events as they come, when the server ended it, and how to close it. */
export interface OpenStream {
  events: MessageEvent[]
  /** Its `group` events (a group change for this user). */
  groupEvents: GroupEvent[]
  ended: Promise<string>
  close(): void
}

/** Opens `/api/events` on `url` with `token` (default: one for `handle` from the same server); fails unless 200. */
export async function openStream(url: string, handle: string, token?: string): Promise<OpenStream> {
  const events: MessageEvent[] = []
  const stream = await openEventStream<MessageEvent>(url, token ?? (await streamTokenFor(url, handle)), (event) => events.push(event.data))
  expect(stream.status).toBe(200)
  expect(stream.contentType).toMatch(/^text\/event-stream/)
  return { events, groupEvents: stream.groupEvents as GroupEvent[], ended: stream.ended.then(() => 'ended'), close: stream.close }
}

/** Polls `check` every 25 ms until it holds; fails after `timeoutMs` saying what did not happen. */
export async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
