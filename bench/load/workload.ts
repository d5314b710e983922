// The load: virtual users in many conversations send (each message with a client-chosen `message_id`, re-sent
// unchanged until acknowledged), read pages, list their conversations and mark them read. Every HTTP request is
// bounded in time, the run in duration and requests: it stops by itself.
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { ulid } from 'ulid'
import { seededRandom } from '../../test/support/faultProxy.js'

export interface LoadUser {
  uuid: string
  handle: string
  displayName: string
}

export interface Conversation {
  messageGroupUuid: string
  participants: [LoadUser, LoadUser]
}

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
  /** The 2xx answer's message, when one came. */
  acked?: { uuid: string; sortKey: string; createdAt: string }
}

export interface LoadOptions {
  baseUrl: string
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
 * Sends one message until a 2xx acknowledges it or `attempts` run out, re-sending the same `message_id` and text
 * each time, waiting `Retry-After` (at most 2 s) or a doubling back-off in between.
 */
async function send(options: LoadOptions, message: Send, into: Attempt[]): Promise<void> {
  const body = JSON.stringify({ message_group_uuid: message.messageGroupUuid, message: message.text, message_id: message.messageId })
  for (let i = 1; i <= options.sendAttempts; i++) {
    message.attempts = i
    const answer = await attempt(
      'send',
      `${options.baseUrl}/api/messages`,
      { method: 'POST', headers: { ...authorization(message.sender), 'content-type': 'application/json' }, body },
      options.requestTimeoutMs,
      into
    )
    if (answer.status >= 200 && answer.status < 300) {
      const reply = answer.body as { uuid: string; sort_key: string; created_at: string }
      message.acked = { uuid: reply.uuid, sortKey: reply.sort_key, createdAt: reply.created_at }
      return
    }
    // A 4xx other than 409/429 will not change on a retry.
    if (answer.status >= 400 && answer.status < 500 && answer.status !== 409 && answer.status !== 429) return
    const hinted = Number(answer.retryAfter)
    const wait = Number.isFinite(hinted) && hinted > 0 ? Math.min(2_000, hinted * 1_000) : Math.min(2_000, 100 * 2 ** (i - 1))
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
}

/** Runs the virtual users until the duration or the request budget is spent. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const attempts: Attempt[] = []
  const sends: Send[] = []
  const random = seededRandom(options.seed)
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
      issued++
      const conversation = pick(conversations)
      const roll = random()
      if (roll < 0.45) {
        const messageId = ulid()
        const message: Send = { messageId, messageGroupUuid: conversation.messageGroupUuid, sender: user, text: `load ${messageId}`, attempts: 0 }
        sends.push(message)
        // Retries may run past the run's end (bounded by `sendAttempts`): an unacknowledged message is the client's to finish.
        await send(options, message, attempts)
      } else if (roll < 0.7) {
        await attempt('read', `${options.baseUrl}/api/messages/${conversation.messageGroupUuid}?limit=20`, { headers: authorization(user) }, options.requestTimeoutMs, attempts)
      } else if (roll < 0.9) {
        await attempt('list', `${options.baseUrl}/api/message_groups`, { headers: authorization(user) }, options.requestTimeoutMs, attempts)
      } else {
        await attempt(
          'markRead',
          `${options.baseUrl}/api/message_groups/${conversation.messageGroupUuid}/read`,
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
        const response = await fetch(`${baseUrl}/api/messages`, {
          method: 'POST',
          headers: { ...authorization(from), 'content-type': 'application/json' },
          body: JSON.stringify({ handle: to.handle, message: `hello from ${from.handle}` }),
          signal: AbortSignal.timeout(30_000)
        })
        if (!response.ok) throw new Error(`starting ${from.handle} → ${to.handle}: ${response.status} ${await response.text()}`)
        const { message_group_uuid } = (await response.json()) as { message_group_uuid: string }
        conversations.push({ messageGroupUuid: message_group_uuid, participants: [from, to] })
      })
    )
  }
  return conversations
}

/** Whether the server honours `message_id`: the same id sent twice answers the same stored message. */
export async function probeIdempotency(baseUrl: string, conversation: Conversation): Promise<boolean> {
  const [sender] = conversation.participants
  const body = JSON.stringify({ message_group_uuid: conversation.messageGroupUuid, message: 'idempotency probe', message_id: ulid() })
  const post = async () => {
    const response = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { ...authorization(sender), 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(30_000)
    })
    if (!response.ok) throw new Error(`idempotency probe: ${response.status} ${await response.text()}`)
    return ((await response.json()) as { uuid: string }).uuid
  }
  return (await post()) === (await post())
}
