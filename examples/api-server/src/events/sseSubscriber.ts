import type { ServerResponse } from 'node:http'
import type { EventFrame, EventSubscriber } from './eventHub.js'

/** A comment line: ignored by EventSource, it keeps the connection open through proxies. */
const PING: EventFrame = [Buffer.from(': ping\n\n')]

/**
 * An {@link EventSubscriber} writing server-sent events to `raw`, never holding more than `maxUnsentBytes` for a
 * client that does not read: the write that would pass the bound ends the stream instead (`onDropped`), so a stalled
 * or malicious reader costs at most that much memory. What the kernel's socket buffers take is not counted: Node's
 * `writableLength` only grows once they are full.
 */
export function sseSubscriber(raw: ServerResponse, options: { maxUnsentBytes: number; onDropped: () => void }): EventSubscriber {
  const write = (parts: EventFrame) => {
    if (raw.destroyed || raw.writableEnded) return
    if (raw.writableLength + parts.reduce((sum, part) => sum + part.length, 0) > options.maxUnsentBytes) {
      raw.destroy()
      options.onDropped()
      return
    }
    for (const part of parts) raw.write(part)
  }
  return {
    send: write,
    ping: () => write(PING),
    group: (event) => write([Buffer.from(`event: group\ndata: ${JSON.stringify(event)}\n\n`)]),
    close: () => void raw.end()
  }
}
