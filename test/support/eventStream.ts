// A client of the example server's event stream (`GET /api/events`, server-sent events) for the tests and the load
// benchmark: one that reads and collects `message` events with their arrival time, and one that stalls.
import { get, type IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'

/** A `message` event as the stream carries it, and when it arrived (`performance.now()`). */
export interface ReceivedEvent<T = Record<string, unknown>> {
  data: T
  receivedAt: number
}

/** An open event stream. */
export interface EventStreamClient<T = Record<string, unknown>> {
  /** The response's status and content type. */
  status: number
  contentType: string | undefined
  /** Every `message` event so far, in arrival order. */
  events: Array<ReceivedEvent<T>>
  /** Every `group` event's data so far (a group change for this user), in arrival order. */
  groupEvents: unknown[]
  /** Resolves once the stream ended, by either side. */
  ended: Promise<void>
  close(): void
}

/**
 * Opens `GET <url>/api/events?token=…` over node:http (so closing it closes its socket) and collects its `message`
 * events, telling `onEvent` of each too. Resolves once the response's head arrived, whatever its status (the body of
 * a refusal is not read).
 */
export function openEventStream<T = Record<string, unknown>>(
  url: string,
  token: string,
  onEvent: (event: ReceivedEvent<T>) => void = () => {}
): Promise<EventStreamClient<T>> {
  const request = get(`${url}/api/events?token=${encodeURIComponent(token)}`)
  return new Promise((resolve, reject) => {
    request.once('error', reject)
    request.once('response', (response: IncomingMessage) => {
      const events: Array<ReceivedEvent<T>> = []
      const groupEvents: unknown[] = []
      let buffer = ''
      response.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (data && /^event: group$/m.test(block)) groupEvents.push(JSON.parse(data))
          if (!/^event: message$/m.test(block) || !data) continue
          const event = { data: JSON.parse(data) as T, receivedAt: performance.now() }
          events.push(event)
          onEvent(event)
        }
      })
      response.on('error', () => {})
      request.on('error', () => {}) // a reset after the head ends the stream; `ended` says so
      resolve({
        status: response.statusCode ?? 0,
        contentType: response.headers['content-type'],
        events,
        groupEvents,
        ended: new Promise((done) => response.once('close', () => done())),
        close: () => request.destroy()
      })
    })
  })
}

/** An event stream whose client stopped reading, and how to read it out later. */
export interface StalledReader {
  readonly socket: Socket
  /**
   * Reads out what is left: the number of `message` events that reached this client, and whether the server had
   * ended the stream (else it is closed here once nothing more came for `quietMs`).
   */
  drain(quietMs?: number): Promise<{ events: number; ended: boolean }>
}

/**
 * An event stream whose client reads the response's head and then nothing: what the server writes piles up in the
 * socket buffers, then in the server, unless it drops the stream. Rejects unless the stream opened (200).
 */
export function stalledReader(url: string, token: string): Promise<StalledReader> {
  const socket = connect({ host: '127.0.0.1', port: Number(new URL(url).port) })
  socket.write(`GET /api/events?token=${encodeURIComponent(token)} HTTP/1.1\r\nHost: x\r\n\r\n`)
  return new Promise((resolve, reject) => {
    let head = ''
    const onData = (chunk: Buffer) => {
      head += chunk.toString()
      if (!head.includes('retry: 2000') && !head.includes('\r\n\r\n{')) return
      socket.off('data', onData)
      if (!head.startsWith('HTTP/1.1 200')) return reject(new Error(`not a stream: ${head.slice(0, 200)}`))
      socket.pause()
      resolve({
        socket,
        drain: (quietMs = 2_000) =>
          new Promise((done) => {
            let text = ''
            let quiet: NodeJS.Timeout | undefined
            const count = () => text.split('event: message').length - 1
            const idle = () => {
              clearTimeout(quiet)
              quiet = setTimeout(() => {
                socket.removeAllListeners('close')
                socket.destroy()
                done({ events: count(), ended: false })
              }, quietMs)
            }
            socket.on('data', (more: Buffer) => {
              text += more.toString()
              idle()
            })
            socket.on('error', () => {})
            socket.once('close', () => {
              clearTimeout(quiet)
              done({ events: count(), ended: true })
            })
            idle()
            socket.resume()
          })
      })
    }
    socket.on('data', onData)
    socket.once('error', reject)
  })
}
