// The live connection: a stream token from the API, then EventSource on /api/events. EventSource's own retry would
// reuse a token a restarted server no longer accepts, so every drop closes it and connects afresh with a new token.
import type { Api, GroupEvent, MessageEvent } from './api.js'

export interface LiveHandlers {
  /** Each (re)connection: reload what may have been missed while away (nothing is replayed). */
  onOpen(): void
  onMessage(event: MessageEvent): void
  /** A group changed for this user (created, added, removed, renamed, role). */
  onGroup?(event: GroupEvent): void
  onStatus(status: 'connecting' | 'live' | 'reconnecting'): void
}

export function connectLive(api: Api, handlers: LiveHandlers): { close(): void } {
  let source: EventSource | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let closed = false

  const retry = () => {
    if (closed) return
    handlers.onStatus('reconnecting')
    timer = setTimeout(connect, Math.min(250 * 2 ** attempt++, 4_000))
  }

  async function connect(): Promise<void> {
    if (closed) return
    let token: string
    try {
      token = (await api.post<{ token: string }>('/api/events/token')).token
    } catch {
      return retry()
    }
    if (closed) return
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`)
    source.addEventListener('open', () => {
      attempt = 0
      handlers.onStatus('live')
      handlers.onOpen()
    })
    source.addEventListener('message', (event) => handlers.onMessage(JSON.parse((event as globalThis.MessageEvent<string>).data) as MessageEvent))
    source.addEventListener('group', (event) => handlers.onGroup?.(JSON.parse((event as globalThis.MessageEvent<string>).data) as GroupEvent))
    source.addEventListener('error', () => {
      source?.close()
      retry()
    })
  }

  handlers.onStatus('connecting')
  void connect()
  return {
    close() {
      closed = true
      clearTimeout(timer)
      source?.close()
    }
  }
}
