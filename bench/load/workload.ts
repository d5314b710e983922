// The load: virtual users in many conversations send (each message with a client-chosen `message_id`, re-sent
// unchanged until acknowledged), read pages, list their conversations and mark them read. Every HTTP request is
// bounded in time, the run in duration and requests: it stops by itself.
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { ulid } from 'ulid'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMessaging } from '../../src/index.js'
import { mulberry32 } from '../../test/support/prng.js'

export interface LoadUser {
  uuid: string
  handle: string
  displayName: string
}

/** A direct conversation (two participants), or a group (`kind: 'group'`, its creator first). */
export type Conversation =
  | { kind?: 'direct'; messageGroupUuid: string; participants: [LoadUser, LoadUser] }
  | { kind: 'group'; messageGroupUuid: string; participants: LoadUser[]; title: string }

export type Route = 'send' | 'read' | 'list' | 'markRead'

/** One HTTP attempt as the client saw it. */
export interface Attempt {
  route: Route
  ms: number
  /** HTTP status, or 0 when there was none (connection refused or reset, or the client's timeout). */
  status: number
  /** The client gave up waiting. */
  timedOut: boolean
  retryAfter?: string
}

/** One message a virtual user meant to send, and what became of it. */
export interface Send {
  messageId: string
  messageGroupUuid: string
  sender: LoadUser
  text: string
  attempts: number
  /** When the first attempt went out (`performance.now()`), and to which of the base URLs. */
  startedAt?: number
  instance?: number
  /** The 2xx answer's message, when one came. */
  acked?: { uuid: string; sortKey: string; createdAt: string }
}

export interface LoadOptions {
  /** The API, or several instances of it: requests go to each in turn, as a load balancer's round robin. */
  baseUrls: readonly string[]
  users: readonly LoadUser[]
  conversations: readonly Conversation[]
  virtualUsers: number
  durationMs: number
  maxRequests: number
  /** Per HTTP attempt. */
  requestTimeoutMs: number
  /** Attempts per message before the client gives up on it (it stays unacknowledged). */
  sendAttempts: number
  seed: number
  /** Called once, `atMs` into the run (a fault: kill a process, cut traffic). */
  event?: { atMs: number; run: () => Promise<void> }
}

export interface LoadResult {
  attempts: Attempt[]
  sends: Send[]
  durationMs: number
  /** A failed event (a restart that did not come back) is part of the result, not a crash of the harness. */
  eventError?: string
}

/** `count` users with valid handles, written as a users.json the API server reads (`USERS_FILE`). */
export function makeUsers(count: number, file: string): LoadUser[] {
  const users = Array.from({ length: count }, (_, i) => ({
    uuid: randomUUID(),
    handle: `load${String(i).padStart(3, '0')}`,
    displayName: `Load User ${i}`
  }))
  writeFileSync(file, JSON.stringify(users.map((u) => ({ uuid: u.uuid, handle: u.handle, display_name: u.displayName }))))
  return users
}

const authorization = (user: LoadUser) => ({ authorization: `Bearer dev:${user.handle}` })

async function attempt(route: Route, url: string, init: RequestInit, timeoutMs: number, into: Attempt[]): Promise<{ status: number; body: unknown; retryAfter?: string }> {
  const started = performance.now()
  let status = 0
  let body: unknown
  let retryAfter: string | undefined
  let timedOut = false
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    status = response.status
    retryAfter = response.headers.get('retry-after') ?? undefined
    body = await response.json().catch(() => undefined)
  } catch (error) {
    timedOut = (error as Error).name === 'TimeoutError'
  }
  into.push({ route, ms: performance.now() - started, status, timedOut, ...(retryAfter !== undefined && { retryAfter }) })
  return { status, body, ...(retryAfter !== undefined && { retryAfter }) }
}

/**
 * POSTs `body` as `user` until a 2xx answers or `attempts` run out, re-sending the same body (its `message_id`
 * included) each time, waiting `Retry-After` (at most 2 s) or a doubling back-off in between, as a client should.
 * The 2xx answer's body, or undefined.
 */
async function postUntilAcknowledged(
  target: { url: string; user: LoadUser; body: Record<string, unknown> },
  limits: { attempts: number; timeoutMs: number },
  into: Attempt[],
  onAttempt: (attempt: number) => void = () => {}
): Promise<Record<string, unknown> | undefined> {
  const init = { method: 'POST', headers: { ...authorization(target.user), 'content-type': 'application/json' }, body: JSON.stringify(target.body) }
  for (let i = 1; i <= limits.attempts; i++) {
    onAttempt(i)
    const answer = await attempt('send', target.url, init, limits.timeoutMs, into)
    if (answer.status >= 200 && answer.status < 300) return answer.body as Record<string, unknown>
    // A 4xx other than 429 will not change on a retry (a 409 is a real conflict of message ids).
    if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) return undefined
    const hinted = Number(answer.retryAfter)
    const wait = Number.isFinite(hinted) && hinted > 0 ? Math.min(2_000, hinted * 1_000) : Math.min(2_000, 100 * 2 ** (i - 1))
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
  return undefined
}

/** Sends one message until it is acknowledged (see {@link postUntilAcknowledged}); records what came back. */
async function send(baseUrl: string, options: LoadOptions, message: Send, into: Attempt[]): Promise<void> {
  message.startedAt = performance.now()
  const reply = await postUntilAcknowledged(
    {
      url: `${baseUrl}/api/messages`,
      user: message.sender,
      body: { message_group_uuid: message.messageGroupUuid, message: message.text, message_id: message.messageId }
    },
    { attempts: options.sendAttempts, timeoutMs: options.requestTimeoutMs },
    into,
    (i) => (message.attempts = i)
  )
  if (reply) message.acked = { uuid: String(reply.uuid), sortKey: String(reply.sort_key), createdAt: String(reply.created_at) }
}

/** Runs the virtual users until the duration or the request budget is spent. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const attempts: Attempt[] = []
  const sends: Send[] = []
  const random = mulberry32(options.seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const mine = new Map(options.users.map((user) => [user.uuid, options.conversations.filter((c) => c.participants.some((p) => p.uuid === user.uuid))]))
  const started = performance.now()
  const deadline = started + options.durationMs
  let issued = 0
  let eventError: string | undefined
  const event = options.event
    ? new Promise<void>((resolve) =>
        setTimeout(() => {
          options.event!.run().then(resolve, (error: unknown) => {
            eventError = String(error)
            resolve()
          })
        }, options.event!.atMs)
      )
    : Promise.resolve()

  const virtualUser = async (user: LoadUser) => {
    const conversations = mine.get(user.uuid) ?? []
    while (performance.now() < deadline && issued < options.maxRequests && conversations.length > 0) {
      const instance = issued++ % options.baseUrls.length
      const baseUrl = options.baseUrls[instance]!
      const conversation = pick(conversations)
      const roll = random()
      if (roll < 0.45) {
        const messageId = ulid()
        const message: Send = { messageId, messageGroupUuid: conversation.messageGroupUuid, sender: user, text: `load ${messageId}`, attempts: 0, instance }
        sends.push(message)
        // Retries may run past the run's end (bounded by `sendAttempts`): an unacknowledged message is the client's to finish.
        await send(baseUrl, options, message, attempts)
      } else if (roll < 0.7) {
        await attempt('read', `${baseUrl}/api/messages/${conversation.messageGroupUuid}?limit=20`, { headers: authorization(user) }, options.requestTimeoutMs, attempts)
      } else if (roll < 0.9) {
        await attempt('list', `${baseUrl}/api/message_groups`, { headers: authorization(user) }, options.requestTimeoutMs, attempts)
      } else {
        await attempt(
          'markRead',
          `${baseUrl}/api/message_groups/${conversation.messageGroupUuid}/read`,
          { method: 'POST', headers: { ...authorization(user), 'content-type': 'application/json' }, body: '{}' },
          options.requestTimeoutMs,
          attempts
        )
      }
    }
  }
  const vus = Array.from({ length: options.virtualUsers }, (_, i) => options.users[i % options.users.length]!)
  await Promise.all([...vus.map(virtualUser), event])
  return { attempts, sends, durationMs: performance.now() - started, ...(eventError !== undefined && { eventError }) }
}

/**
 * Starts each conversation through the API (`handle`, the start-a-conversation path), each pair of users at most once:
 * user i talks with i+1, i+2, … up to `perUser` partners.
 */
export async function startConversations(baseUrl: string, users: readonly LoadUser[], perUser: number): Promise<Conversation[]> {
  const pairs: [LoadUser, LoadUser][] = []
  for (let i = 0; i < users.length; i++) {
    for (let k = 1; k <= perUser; k++) pairs.push([users[i]!, users[(i + k) % users.length]!])
  }
  const conversations: Conversation[] = []
  // A few at a time: setup is not what is measured.
  for (let i = 0; i < pairs.length; i += 8) {
    await Promise.all(
      pairs.slice(i, i + 8).map(async ([from, to]) => {
        const tried: Attempt[] = []
        const reply = await postUntilAcknowledged(
          { url: `${baseUrl}/api/messages`, user: from, body: { handle: to.handle, message: `hello from ${from.handle}`, message_id: ulid() } },
          { attempts: 8, timeoutMs: 30_000 },
          tried
        )
        if (!reply) throw new Error(`could not start ${from.handle} → ${to.handle}: ${tried.map((a) => (a.timedOut ? 'timeout' : a.status)).join(', ')}`)
        conversations.push({ messageGroupUuid: String(reply.message_group_uuid), participants: [from, to] })
      })
    )
  }
  return conversations
}

/**
 * Starts `count` groups of `size` members straight through the library (the example API has no route for groups
 * yet), each with a first message from its creator: group g takes the users from g × users / count on, wrapping
 * round, so every user is in about `count × size / users` groups. The load then posts, reads and marks read in them
 * through the API like any conversation.
 */
export async function startGroups(client: DynamoDBClient, tableName: string, users: readonly LoadUser[], count: number, size: number): Promise<Conversation[]> {
  const messaging = createMessaging({ client, tableName })
  const groups: Conversation[] = []
  for (let g = 0; g < count; g++) {
    const from = Math.floor((g * users.length) / count)
    const members = Array.from({ length: size }, (_, k) => users[(from + k) % users.length]!)
    const title = `load group ${g}`
    const started = await messaging.createGroup({ creator: members[0]!, members: members.slice(1), title, message: `group ${g} starts`, messageId: ulid() })
    groups.push({ kind: 'group', messageGroupUuid: started.messageGroupUuid, participants: members, title })
  }
  return groups
}

/** Whether the server honours `message_id`: the same id sent twice answers the same stored message. */
export async function probeIdempotency(baseUrl: string, conversation: Conversation): Promise<boolean> {
  const target = {
    url: `${baseUrl}/api/messages`,
    user: conversation.participants[0],
    body: { message_group_uuid: conversation.messageGroupUuid, message: 'idempotency probe', message_id: ulid() }
  }
  const post = async () => {
    const reply = await postUntilAcknowledged(target, { attempts: 8, timeoutMs: 30_000 }, [])
    if (!reply) throw new Error('idempotency probe: no 2xx after 8 attempts')
    return String(reply.uuid)
  }
  return (await post()) === (await post())
}
