// An open /api/events stream for the API tests: node:http, so closing it closes its socket; its events collected by
// name as they come.
import { expect } from 'vitest'
import { get, type IncomingMessage } from 'node:http'
import type { GroupEvent, MessageEvent } from '../../examples/api-server/src/events/eventHub.js'
import { callFor } from './support.js'

export interface OpenStream {
  /** The `message` events received so far. */
  events: MessageEvent[]
  /** The `group` events received so far. */
  groupEvents: GroupEvent[]
  /** Resolves with 'ended' when the server ends the stream. */
  ended: Promise<string>
  close(): void
}

export async function openEventStream(url: string, handle: string): Promise<OpenStream> {
  const { body } = await callFor(url)<{ token: string }>('POST', '/api/events/token', { as: handle })
  const events: MessageEvent[] = []
  const groupEvents: GroupEvent[] = []
  const request = get(`${url}/api/events?token=${encodeURIComponent(body.token)}`)
  const response = await new Promise<IncomingMessage>((resolve, reject) => request.once('response', resolve).once('error', reject))
  expect(response.statusCode).toBe(200)
  expect(response.headers['content-type']).toMatch(/^text\/event-stream/)
  let buffer = ''
  response.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (!data) continue
      if (/^event: message$/m.test(block)) events.push(JSON.parse(data) as MessageEvent)
      if (/^event: group$/m.test(block)) groupEvents.push(JSON.parse(data) as GroupEvent)
    }
  })
  const ended = new Promise<string>((resolve) => response.once('close', () => resolve('ended')))
  return { events, groupEvents, ended, close: () => request.destroy() }
}

/** Waits until `check` holds, polling every 25 ms; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
