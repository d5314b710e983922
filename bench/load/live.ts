// Live events under load: one event stream per user, open during the run and spread over the instances as a load
// balancer would spread them, and the time from each send to its event on the recipient's stream.
import { openEventStream, type EventStreamClient } from '../../test/support/eventStream.js'
import type { Conversation, LoadUser, Send } from './workload.js'

/** A stream token for `user` from the server at `url` (dev auth). */
export async function streamToken(url: string, user: LoadUser): Promise<string> {
  const response = await fetch(`${url}/api/events/token`, { method: 'POST', headers: { authorization: `Bearer dev:${user.handle}` }, signal: AbortSignal.timeout(30_000) })
  if (response.status !== 200) throw new Error(`no stream token for ${user.handle}: ${response.status}`)
  return ((await response.json()) as { token: string }).token
}

/** Every user's open stream, and what arrived on each. */
export interface LiveStreams {
  /** `<user uuid> <sort key>` → when that user's stream got the message's event (`performance.now()`). */
  readonly arrivals: Map<string, number>
  /** The instance (index of the base URLs) each user's stream is open on. */
  readonly instanceOf: Map<string, number>
  /** Streams that ended before {@link LiveStreams.close}: a server let go of them. */
  ended(): number
  close(): void
}

/** Opens one stream per user, user i's on instance i mod n, a few at a time. */
export async function openLiveStreams(baseUrls: readonly string[], users: readonly LoadUser[]): Promise<LiveStreams> {
  const arrivals = new Map<string, number>()
  const instanceOf = new Map<string, number>()
  const streams: EventStreamClient<{ sort_key: string }>[] = []
  let closing = false
  let ended = 0
  for (let i = 0; i < users.length; i += 20) {
    await Promise.all(
      users.slice(i, i + 20).map(async (user, j) => {
        const instance = (i + j) % baseUrls.length
        const url = baseUrls[instance]!
        const stream = await openEventStream<{ sort_key: string }>(url, await streamToken(url, user), ({ data, receivedAt }) => {
          const key = `${user.uuid} ${data.sort_key}`
          if (!arrivals.has(key)) arrivals.set(key, receivedAt) // delivery is at least once: the first counts
        })
        if (stream.status !== 200) throw new Error(`${user.handle}'s stream answered ${stream.status}`)
        void stream.ended.then(() => void (closing || ended++))
        instanceOf.set(user.uuid, instance)
        streams.push(stream)
      })
    )
  }
  return {
    arrivals,
    instanceOf,
    ended: () => ended,
    close: () => {
      closing = true
      for (const stream of streams) stream.close()
    }
  }
}

/** Send-to-event latencies, in ms from a send's first attempt to its event on the recipient's stream. */
export interface Delivery {
  /** Every acknowledged send whose event reached the recipient. */
  all: number[]
  /** Those whose recipient's stream was on another instance than the one the send went to. */
  crossInstance: number[]
  /** Acknowledged sends: Pattern D tells of the newest message of a conversation per batch, so some have no event. */
  acked: number
  /** Each conversation whose newest acknowledged message did not reach a participant's stream. */
  problems: string[]
}

/** What the streams got of what was sent; see {@link Delivery}. */
export function measureDelivery(sends: readonly Send[], conversations: readonly Conversation[], live: LiveStreams): Delivery {
  const byGroup = new Map(conversations.map((c) => [c.messageGroupUuid, c]))
  const delivery: Delivery = { all: [], crossInstance: [], acked: 0, problems: [] }
  const newest = new Map<string, Send>()
  const unacknowledged = new Set(sends.filter((s) => !s.acked).map((s) => s.messageGroupUuid))
  for (const send of sends) {
    if (!send.acked) continue
    delivery.acked++
    const current = newest.get(send.messageGroupUuid)
    if (!current || current.acked!.sortKey < send.acked.sortKey) newest.set(send.messageGroupUuid, send)
    const recipient = byGroup.get(send.messageGroupUuid)?.participants.find((p) => p.uuid !== send.sender.uuid)
    const arrived = recipient && live.arrivals.get(`${recipient.uuid} ${send.acked.sortKey}`)
    if (arrived === undefined || send.startedAt === undefined) continue
    delivery.all.push(arrived - send.startedAt)
    if (live.instanceOf.get(recipient!.uuid) !== send.instance) delivery.crossInstance.push(arrived - send.startedAt)
  }
  for (const [group, send] of newest) {
    // A message stored without an answer may be newer, and its event the one that came: nothing to hold against it.
    if (unacknowledged.has(group)) continue
    for (const participant of byGroup.get(group)?.participants ?? []) {
      if (!live.arrivals.has(`${participant.uuid} ${send.acked!.sortKey}`)) {
        delivery.problems.push(`${participant.handle} never got the newest message of ${group} (${send.acked!.sortKey})`)
      }
    }
  }
  return delivery
}

/** {@link measureDelivery} once every conversation's newest message has reached its participants, or after `timeoutMs`. */
export async function awaitDelivery(sends: readonly Send[], conversations: readonly Conversation[], live: LiveStreams, timeoutMs: number): Promise<Delivery> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const delivery = measureDelivery(sends, conversations, live)
    if (delivery.problems.length === 0 || Date.now() > deadline) return delivery
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
