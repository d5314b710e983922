import type { ServerResponse } from 'node:http'
import type { EventSubscriber, MessageEvent } from './eventHub.js'

/**
 * An {@link EventSubscriber} writing server-sent events to `raw`, never holding more than `maxUnsentBytes` for a
 * client that does not read: the write that would pass the bound ends the stream instead (`onDropped`), so a stalled
 * or malicious reader costs at most that much memory. What the kernel's socket buffers take is not counted: Node's
 * `writableLength` only grows once they are full.
 */
export function sseSubscriber(raw: ServerResponse, options: { maxUnsentBytes: number; onDropped: () => void }): EventSubscriber {
  const write = (chunk: string) => {
    if (raw.destroyed || raw.writableEnded) return
    if (raw.writableLength + Buffer.byteLength(chunk) > options.maxUnsentBytes) {
      raw.destroy()
      options.onDropped()
      return
    }
    raw.write(chunk)
  }
  return {
    send: (event: MessageEvent) => write(`event: message\ndata: ${JSON.stringify(event)}\n\n`),
    ping: () => write(': ping\n\n'),
    close: () => void raw.end()
  }
}
